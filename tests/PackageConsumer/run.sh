#!/usr/bin/env bash
# Package consumer check: packs the shipped packages of NeuralNet.sln into a folder feed, then restores, builds and
# runs tests/PackageConsumer against that feed as a user's project would (packages from the feed plus the machine's
# configured package sources, into a private packages folder so no earlier NeuralNet of the same version is used),
# and checks that it learns XOR. The last line says "package consumer check: passed (...)" or why it failed;
# the exit code is non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed"

fail() {
  echo "package consumer check: FAILED: $*" >&2
  exit 1
}

# Builds what it needs in Release (incrementally after a Release build); only src/ is packable.
dotnet pack "$root/NeuralNet.sln" -c Release -o "$feed" -warnaserror || fail "dotnet pack NeuralNet.sln failed"

echo "packages in $feed:"
shopt -s nullglob
for package in "$feed"/*.nupkg "$feed"/*.snupkg; do
  printf '  %-40s %8d bytes\n' "$(basename "$package")" "$(stat -c %s "$package")"
done

# The version under test is the one packed: NeuralNet.<version>.nupkg.
packed=("$feed"/NeuralNet.[0-9]*.nupkg)
[ "${#packed[@]}" -eq 1 ] || fail "expected one NeuralNet.<version>.nupkg in $feed, found ${#packed[@]}"
version="$(basename "${packed[0]}" .nupkg)"
version="${version#NeuralNet.}"
[ -f "$feed/NeuralNet.$version.snupkg" ] || fail "no symbols package NeuralNet.$version.snupkg beside NeuralNet.$version.nupkg"

# Same properties for restore and run: the version to reference, and bin/obj kept out of the source tree.
properties=(-p:NeuralNetVersion="$version" -p:ArtifactsPath="$work/artifacts")

dotnet restore "$here/PackageConsumer.csproj" --packages "$work/packages" \
  -p:RestoreAdditionalProjectSources="$feed" "${properties[@]}" \
  || fail "restoring PackageConsumer with NeuralNet $version from $feed failed"

# NuGet keeps each .nupkg it extracted: every package of ours that the consumer restored must be the one just
# packed, byte for byte, and NeuralNet itself must be among them.
consumed=()
for package in "$feed"/*.nupkg; do
  id="$(basename "$package" ".$version.nupkg")"
  restored="$work/packages/${id,,}/${version,,}/${id,,}.${version,,}.nupkg"
  [ -f "$restored" ] || continue
  cmp -s "$package" "$restored" || fail "the restored $id $version ($restored) is not the package just packed"
  consumed+=("$id")
done
for id in NeuralNet NeuralNet.Onnx NeuralNet.MLNet; do
  [[ " ${consumed[*]-} " == *" $id "* ]] || fail "PackageConsumer did not restore $id $version from $feed"
  [ -f "$feed/$id.$version.snupkg" ] || fail "no symbols package $id.$version.snupkg beside $id.$version.nupkg"
done

dotnet run --project "$here/PackageConsumer.csproj" -c Release --no-restore "${properties[@]}" \
  || fail "PackageConsumer with NeuralNet $version from $feed did not pass (see its output above)"

printf -v names '%s, ' "${consumed[@]}"
echo "package consumer check: passed (${names%, } $version from $feed)"
