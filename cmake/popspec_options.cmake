# Compile options shared by every popspec target.
add_library(popspec_options INTERFACE)
target_compile_options(popspec_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wimplicit-fallthrough)
# Asio's coroutine support: make sure it picks up C++20 coroutines on both g++ 12 and clang 14.
target_compile_definitions(popspec_options INTERFACE
  BOOST_ASIO_NO_DEPRECATED
  BOOST_ASIO_DISABLE_BOOST_COROUTINE)
if(POPSPEC_SANITIZE)
  target_compile_options(popspec_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(popspec_options INTERFACE -fsanitize=address,undefined)
  # clang 14 cannot compile C++20 coroutines (Asio's) with UBSan's `function` check
  # (llvm-project#49689): drop that one check.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_compile_options(popspec_options INTERFACE -fno-sanitize=function)
  endif()
endif()
if(POPSPEC_COVERAGE)
  target_compile_options(popspec_options INTERFACE -fprofile-instr-generate -fcoverage-mapping)
  target_link_options(popspec_options INTERFACE -fprofile-instr-generate -fcoverage-mapping)
endif()
if(POPSPEC_BUILD_FUZZERS)
  # Every library gets coverage instrumentation; only fuzz executables link the libFuzzer main.
  target_compile_options(popspec_options INTERFACE -fsanitize=fuzzer-no-link)
  target_compile_definitions(popspec_options INTERFACE POPSPEC_FUZZING=1)
  # clang 14 fails on C++20 coroutines (Asio's, in server/ and harness/) compiled with both
  # -fsanitize=fuzzer-no-link and UBSan's `function` check: "Cannot represent a difference
  # across sections" (llvm-project#49689). Fuzz builds drop that one check; the sanitizer flags
  # may also come from $CXXFLAGS (ClusterFuzzLite), so this is added whatever POPSPEC_SANITIZE says.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_compile_options(popspec_options INTERFACE -fno-sanitize=function)
  endif()
endif()
