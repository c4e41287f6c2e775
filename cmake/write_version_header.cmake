# cmake -DOUTPUT=... -DVERSION=... -DSOURCE_DIR=... [-DGIT=git] -P write_version_header.cmake
# Writes the version header (see PeakVersion.cmake); leaves it untouched when unchanged.
set(commit "")
set(dirty 0)
if(GIT)
  execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} rev-parse HEAD
                  OUTPUT_VARIABLE out RESULT_VARIABLE rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc EQUAL 0 AND out MATCHES "^[0-9a-f]+$")
    set(commit ${out})
    execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE out RESULT_VARIABLE rc ERROR_QUIET)
    if(NOT rc EQUAL 0 OR NOT out STREQUAL "")
      set(dirty 1)
    endif()
  endif()
endif()
set(full ${VERSION})
if(commit)
  string(SUBSTRING ${commit} 0 12 short)
  string(APPEND full "+g${short}")
  if(dirty)
    string(APPEND full ".dirty")
  endif()
endif()
set(content "#pragma once
/// Generated at build time by cmake/write_version_header.cmake: do not edit.
/// The project version and the git state of the tree the binary was built from.

#define PEAK_VERSION \"${VERSION}\"
/// The commit built (40 hex digits), or \"\" when the source tree was not a git checkout.
#define PEAK_GIT_COMMIT \"${commit}\"
/// 1 when tracked files differed from that commit at build time.
#define PEAK_GIT_DIRTY ${dirty}
/// \"<version>+g<12 hex>[.dirty]\", or the bare version without git.
#define PEAK_VERSION_FULL \"${full}\"
")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE ${OUTPUT} "${content}")
