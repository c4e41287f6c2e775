# One version for the whole build: build/generated/peak/version.hpp, written at BUILD time by
# cmake/write_version_header.cmake (project version, git commit, dirty flag), so a binary
# reports the tree it was built from, not the one CMake last configured. The generator runs
# on every build (one `git rev-parse` and one `git status`, well under a second) and rewrites
# the header only when its content changes: nothing recompiles otherwise (Ninja restat).
#
#   #include "peak/version.hpp"   // link peak_version
#   PEAK_VERSION "0.1.0", PEAK_GIT_COMMIT "<40 hex>" or "", PEAK_GIT_DIRTY 0/1,
#   PEAK_VERSION_FULL "0.1.0+g<12 hex>[.dirty]" (or "0.1.0" outside a git checkout)
find_package(Git QUIET)
set(PEAK_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated)
set(PEAK_VERSION_HEADER ${PEAK_GENERATED_DIR}/peak/version.hpp)
add_custom_target(peak_version_header
  COMMAND ${CMAKE_COMMAND} -DOUTPUT=${PEAK_VERSION_HEADER} -DVERSION=${PROJECT_VERSION}
          -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DGIT=${GIT_EXECUTABLE}
          -P ${CMAKE_CURRENT_LIST_DIR}/write_version_header.cmake
  BYPRODUCTS ${PEAK_VERSION_HEADER}
  COMMENT "" VERBATIM)
add_library(peak_version INTERFACE)
target_include_directories(peak_version INTERFACE ${PEAK_GENERATED_DIR})
add_dependencies(peak_version peak_version_header)  # followed by every target linking it
