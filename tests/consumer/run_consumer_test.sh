#!/usr/bin/env bash
# Builds tests/consumer against dealstat both ways: find_package after an
# install of the build tree given, and add_subdirectory of the source tree.
# usage: run_consumer_test.sh <dealstat build dir> <dealstat source dir> <scratch dir>
set -euo pipefail
build=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/tests/consumer" -B "$work/find" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/find" >/dev/null
"$work/find/consumer"
launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$src/tests/consumer" -B "$work/subdir" -G Ninja -DDEALSTAT_SOURCE="$src" "${launcher[@]}" >/dev/null
cmake --build "$work/subdir" -j2 >/dev/null
"$work/subdir/consumer"
echo "consumer: find_package and add_subdirectory both work"
