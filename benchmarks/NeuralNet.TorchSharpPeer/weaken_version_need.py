#!/usr/bin/python3
"""Writes a copy of a shared library in which one symbol-version requirement is marked weak (VER_FLG_WEAK).

Why: TorchSharp 0.107's glue library libLibTorchSharp.so was linked against GCC 13's libstdc++ and so requires the
version GLIBCXX_3.4.32, which Debian 12's libstdc++ (GCC 12) lacks; the dynamic loader then refuses to load it. The
only symbol bound to that version is _ZSt21ios_base_library_initv, which GCC 13's <iostream> references with a bare
`.globl` (to pull libstdc++'s iostream initialiser into the link) and which nothing relocates against or calls. With
the requirement weak, glibc's loader skips the missing version instead of failing (elf/dl-version.c), and the
iostreams are initialised as before by libstdc++ and libtorch's own static initialisers.

The copy is only written when that is sound: every dynamic symbol bound to the version must be undefined and no
relocation may refer to it, so that no symbol lookup can ever need the missing version. Otherwise this refuses,
naming the symbols. The input is never modified: the output is written to a temporary file and renamed over OUTPUT
(so even an OUTPUT that is a hard link to the input leaves the input's bytes alone). Running it on a file that is
already patched is a no-op.

usage: weaken_version_need.py INPUT OUTPUT --version GLIBCXX_3.4.32 [--version ...]
"""

import argparse
import os
import struct
import sys
import tempfile

SHT_RELA = 4
SHT_REL = 9
SHT_DYNSYM = 11
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
VER_FLG_WEAK = 0x2
SHN_UNDEF = 0


class ElfError(Exception):
    pass


def sections(data):
    if data[:4] != b"\x7fELF":
        raise ElfError("not an ELF file")
    if data[4] != 2 or data[5] != 1:
        raise ElfError("only 64-bit little-endian ELF files are supported")
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    if shoff == 0 or shnum == 0:
        raise ElfError("the file has no section headers")
    result = []
    for index in range(shnum):
        name, kind, _, _, offset, size, link, info, _, entsize = struct.unpack_from("<IIQQQQIIQQ", data, shoff + index * shentsize)
        result.append({"index": index, "name": name, "type": kind, "offset": offset, "size": size, "link": link, "info": info, "entsize": entsize})
    return result


def c_string(data, offset):
    end = data.index(b"\0", offset)
    return data[offset:end].decode("ascii", "replace")


def dynamic_symbols(data, dynsym, strtab):
    symbols = []
    for offset in range(dynsym["offset"], dynsym["offset"] + dynsym["size"], 24):
        name, _, _, shndx, _, _ = struct.unpack_from("<IBBHQQ", data, offset)
        symbols.append((c_string(data, strtab["offset"] + name), shndx))
    return symbols


def relocated_symbols(data, all_sections, dynsym_index):
    """The dynamic-symbol indices that some relocation against the dynamic symbol table names."""
    referenced = set()
    for section in all_sections:
        if section["type"] not in (SHT_RELA, SHT_REL) or section["link"] != dynsym_index:
            continue
        size = 24 if section["type"] == SHT_RELA else 16
        for offset in range(section["offset"], section["offset"] + section["size"], size):
            (info,) = struct.unpack_from("<Q", data, offset + 8)
            referenced.add(info >> 32)
    return referenced


def version_needs(data, verneed, strtab):
    """Yields (file, version name, version index, offset of vna_flags) for every entry of .gnu.version_r."""
    position = verneed["offset"]
    for _ in range(verneed["info"]):
        _, count, file_name, aux, following = struct.unpack_from("<HHIII", data, position)
        entry = position + aux
        for _ in range(count):
            _, flags, other, name, next_aux = struct.unpack_from("<IHHII", data, entry)
            yield c_string(data, strtab["offset"] + file_name), c_string(data, strtab["offset"] + name), other, flags, entry + 4
            entry += next_aux
        if following == 0:
            break
        position += following


def weaken(data, versions):
    all_sections = sections(data)
    by_type = {}
    for section in all_sections:
        by_type.setdefault(section["type"], section)
    dynsym = by_type.get(SHT_DYNSYM)
    versym = by_type.get(SHT_GNU_VERSYM)
    verneed = by_type.get(SHT_GNU_VERNEED)
    if dynsym is None or versym is None or verneed is None:
        raise ElfError("no .dynsym, .gnu.version or .gnu.version_r section")
    strtab = all_sections[verneed["link"]]
    symbols = dynamic_symbols(data, dynsym, all_sections[dynsym["link"]])
    symbol_versions = [struct.unpack_from("<H", data, versym["offset"] + 2 * i)[0] & 0x7FFF for i in range(len(symbols))]
    relocated = relocated_symbols(data, all_sections, dynsym["index"])

    patched = bytearray(data)
    report = []
    found = set()
    for file_name, name, index, flags, flags_offset in version_needs(data, verneed, strtab):
        if name not in versions:
            continue
        found.add(name)
        bound = [i for i, version in enumerate(symbol_versions) if version == index]
        unsafe = [symbols[i][0] for i in bound if symbols[i][1] != SHN_UNDEF or i in relocated]
        if unsafe:
            raise ElfError(f"{name} (from {file_name}) cannot be made weak: {', '.join(unsafe)} is defined here or "
                           "relocated against, so the loader would need that version to resolve it")
        names = ", ".join(symbols[i][0] for i in bound) or "no symbol"
        if flags & VER_FLG_WEAK:
            report.append(f"{name} (from {file_name}) is already weak; bound to it: {names}")
            continue
        struct.pack_into("<H", patched, flags_offset, flags | VER_FLG_WEAK)
        report.append(f"{name} (from {file_name}) marked weak; bound to it, undefined and never relocated: {names}")
    missing = [v for v in versions if v not in found]
    if missing:
        raise ElfError(f"no requirement of {', '.join(missing)} in .gnu.version_r")
    return bytes(patched), report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--version", action="append", required=True, help="a version name such as GLIBCXX_3.4.32")
    args = parser.parse_args()

    with open(args.input, "rb") as stream:
        data = stream.read()
    try:
        patched, report = weaken(data, args.version)
    except (ElfError, struct.error, ValueError) as error:
        print(f"weaken_version_need: {args.input}: {error}", file=sys.stderr)
        return 1

    directory = os.path.dirname(os.path.abspath(args.output))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".weaken-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(patched)
        os.chmod(temporary, os.stat(args.input).st_mode & 0o777)
        os.replace(temporary, args.output)
    except BaseException:
        os.unlink(temporary)
        raise
    for line in report:
        print(f"weaken_version_need: {os.path.basename(args.output)}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
