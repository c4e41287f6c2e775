# Project-wide build options carried by INTERFACE targets (linked PRIVATE by our targets).
#   peak_options  : language level, sanitizers, debug info
#   peak_warnings : warnings, as errors for our own code (PEAK_WERROR)

option(PEAK_WERROR "Treat warnings in our own code as errors" ON)
set(PEAK_SANITIZERS "" CACHE STRING "Sanitizers: empty, 'address,undefined' or 'thread'")
option(PEAK_BUILD_BENCHMARKS "Build the Google Benchmark programs in bench/" ON)
option(PEAK_BUILD_FUZZERS "Build libFuzzer harnesses (needs clang)" OFF)
option(PEAK_USE_PCH "Use precompiled headers for heavy third-party headers" ON)
# AVX2 is a property of the machines that run the binaries, not of the build host: an
# explicit choice (the release preset turns it on), never read from /proc/cpuinfo.
option(PEAK_AVX2 "Compile the simdjson feed readers for AVX2/BMI/PCLMUL (x86-64 since 2013)" OFF)
option(PEAK_CHECK_HEADERS "Add the check-headers target: each header compiled on its own" OFF)

add_library(peak_options INTERFACE)
target_compile_features(peak_options INTERFACE cxx_std_17)
if(PEAK_SANITIZERS)
  target_compile_options(peak_options INTERFACE
    -fsanitize=${PEAK_SANITIZERS} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  if(PEAK_SANITIZERS MATCHES "undefined")
    # Null-reference checks stay recoverable so tests/sanitizers/ubsan.supp can silence the one
    # inside CAF 0.17's headers; UBSAN_OPTIONS=halt_on_error=1 (asan test preset) still stops
    # on every other report.
    # CAF 0.17's intrusive mailbox queues downcast list nodes to the element type before it
    # is constructed, which the vptr check reports on every message: off (-fno-sanitize=vptr).
    target_compile_options(peak_options INTERFACE -fsanitize-recover=null -fno-sanitize=vptr)
  endif()
  target_link_options(peak_options INTERFACE -fsanitize=${PEAK_SANITIZERS})
endif()

add_library(peak_warnings INTERFACE)
target_compile_options(peak_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(PEAK_WERROR)
  target_compile_options(peak_warnings INTERFACE -Werror)
endif()

# peak_add_library(name SOURCES ... DEPS ...): one library target per folder.
# With no SOURCES, the folder's *.cpp files are used (CONFIGURE_DEPENDS).
function(peak_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  if(NOT ARG_SOURCES)
    file(GLOB ARG_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  endif()
  if(NOT ARG_SOURCES)  # header-only so far
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} INTERFACE ${ARG_PUBLIC_DEPS})
    return()
  endif()
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE peak_options peak_warnings ${ARG_PRIVATE_DEPS})
  target_compile_features(${name} PUBLIC cxx_std_17)
endfunction()

# peak_add_test(name SOURCES ... DEPS ...): one GoogleTest binary per module.
# With no SOURCES, the folder's *_test.cpp files are used; no files, no target.
function(peak_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_SOURCES)
    file(GLOB ARG_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  endif()
  if(NOT ARG_SOURCES)
    return()
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main peak_options peak_warnings)
  target_compile_definitions(${name} PRIVATE
    PEAK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PEAK_SHARED_DATA_DIR="${PEAK_SHARED_DATA_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT ${ARG_TIMEOUT})
endfunction()
