# popspec_add_module(NAME DIR DEPS...)
#   A static library from DIR/*.cpp (globbed, so adding a file needs no CMake edit), its public
#   headers in <module>/include, linked to DEPS.
function(popspec_add_module name src_dir)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${src_dir}/*.cpp")
  if(sources)
    add_library(${name} STATIC ${sources})
    target_include_directories(${name} PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}/include")
    target_link_libraries(${name} PUBLIC popspec_options ${ARGN})
  else()
    # A module that is (still) header-only.
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE "${CMAKE_CURRENT_SOURCE_DIR}/include")
    target_link_libraries(${name} INTERFACE popspec_options ${ARGN})
  endif()
endfunction()

# popspec_add_tests(DIR DEPS...)
#   One GoogleTest executable per DIR/*_test.cpp (one test file per feature), registered with CTest.
function(popspec_add_tests dir)
  file(GLOB tests CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*_test.cpp")
  foreach(test_src IN LISTS tests)
    get_filename_component(test_name "${test_src}" NAME_WE)
    add_executable(${test_name} "${test_src}")
    target_link_libraries(${test_name} PRIVATE ${ARGN} GTest::gtest GTest::gtest_main GTest::gmock)
    target_compile_definitions(${test_name} PRIVATE
      POPSPEC_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      POPSPEC_BINARY_DIR="${PROJECT_BINARY_DIR}")
    gtest_discover_tests(${test_name} DISCOVERY_MODE PRE_TEST
      PROPERTIES LABELS "unit\\;${dir}" TIMEOUT 120)
  endforeach()
endfunction()
