#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script. Follows their contract: compiler and flags come from
# $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE, the source is in $SRC/popspec, intermediate files
# go to $WORK, and $OUT receives per fuzz target:
#   <target>_fuzzer                  the libFuzzer binary
#   <target>_fuzzer_seed_corpus.zip  seeds generated from the scenario suite + the regression corpus
#   <target>_fuzzer.dict             its dictionary (fuzz/dict/<target>.dict)
#   <target>_fuzzer.options          libFuzzer options (max_len)
# Targets are those of fuzz/targets.json. tests: fuzz/tools/cflite_check.py runs this script
# locally with clang 14 (CTest test fuzz.clusterfuzzlite).
src="${SRC}/popspec"
build="${WORK}/popspec-build"
: "${CFLAGS:=}"  # the project is C++ only; CFLAGS is part of the contract but unused

# Sanitizer and coverage flags are all in $CXXFLAGS: POPSPEC_SANITIZE stays off, and no build
# type adds its own optimisation flags.
cmake -S "${src}" -B "${build}" -G Ninja \
  -DCMAKE_BUILD_TYPE= \
  -DCMAKE_CXX_COMPILER="${CXX}" \
  -DCMAKE_CXX_FLAGS="${CXXFLAGS}" \
  -DPOPSPEC_BUILD_FUZZERS=ON \
  -DPOPSPEC_FUZZ_ENGINE="${LIB_FUZZING_ENGINE}" \
  -DPOPSPEC_SANITIZE=OFF \
  -DPOPSPEC_BUILD_TESTS=OFF \
  -DPOPSPEC_BUILD_BENCH=OFF
# Only the fuzzers and their seeds: no CLI, no server binary, no tests.
cmake --build "${build}" --target popspec_fuzzers -j "$(nproc)"

targets=$(python3 -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))["targets"]))' \
  "${src}/fuzz/targets.json")
for target in ${targets}; do
  fuzzer="${target}_fuzzer"
  cp "${build}/fuzz/${fuzzer}" "${OUT}/${fuzzer}"
  cp "${src}/fuzz/dict/${target}.dict" "${OUT}/${fuzzer}.dict"
  max_len=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["targets"][sys.argv[2]]["max_len"])' \
    "${src}/fuzz/targets.json" "${target}")
  printf '[libfuzzer]\nmax_len = %s\n' "${max_len}" > "${OUT}/${fuzzer}.options"
  corpus="${OUT}/${fuzzer}_seed_corpus.zip"
  rm -f "${corpus}"
  (cd "${build}/fuzz/seeds/${target}" && zip -q -r "${corpus}" .)
  if [ -d "${src}/fuzz/regression/${target}" ]; then
    (cd "${src}/fuzz/regression/${target}" && zip -q -r "${corpus}" .)
  fi
done
