# Self-contained headers (CONVENTIONS #10): with PEAK_CHECK_HEADERS=ON, every product header
# gets a generated one-line translation unit (the header included twice, so a missing
# `#pragma once` shows too) compiled in an OBJECT library per folder with exactly the usage
# requirements of that folder's target (its include paths, definitions, warnings and
# dependencies, private ones included). Build them all with the `check-headers` target:
#   cmake --preset dev -DPEAK_CHECK_HEADERS=ON && cmake --build build/dev -t check-headers
# Nothing here is part of `all`: a normal build never pays for it.

# Folders with headers and the target whose usage requirements they compile with. A folder
# whose target does not exist (yet) is skipped with a note; a folder not listed is not checked.
set(PEAK_HEADER_CHECK_FOLDERS
  messages:peak_messages infra:peak_infra observability:peak_observability
  config:peak_config marketdata:peak_marketdata strategy:peak_strategy risk:peak_risk
  broker:peak_broker evidence:peak_evidence engine:peak_engine actors:peak_actors
  session:peak_session bench/pipeline:peak_bench_harness apps:peak)

function(peak_add_header_checks)
  add_custom_target(check-headers)
  set(total 0)
  foreach(entry ${PEAK_HEADER_CHECK_FOLDERS})
    string(REPLACE ":" ";" pair "${entry}")
    list(GET pair 0 folder)
    list(GET pair 1 target)
    file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}
         ${PROJECT_SOURCE_DIR}/${folder}/*.hpp ${PROJECT_SOURCE_DIR}/${folder}/*.h)
    if(NOT headers)
      continue()
    endif()
    if(NOT TARGET ${target})
      message(STATUS "check-headers: ${folder}/ has headers but no target ${target}: skipped")
      continue()
    endif()
    set(sources "")
    foreach(header ${headers})
      set(src ${PROJECT_BINARY_DIR}/header_check/${header}.cpp)
      set(content "#include \"${header}\"\n#include \"${header}\"  // twice: needs #pragma once\n")
      if(EXISTS ${src})
        file(READ ${src} old)
      endif()
      if(NOT old STREQUAL content)
        file(WRITE ${src} "${content}")
      endif()
      unset(old)
      list(APPEND sources ${src})
    endforeach()
    string(REPLACE "/" "_" name "peak_header_check_${folder}")
    add_library(${name} OBJECT EXCLUDE_FROM_ALL ${sources})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY")
      target_link_libraries(${name} PRIVATE ${target} peak_options peak_warnings)
    else()
      if(NOT type STREQUAL "EXECUTABLE")  # an executable cannot be linked to
        target_link_libraries(${name} PRIVATE ${target})
      endif()
      # The folder target's own (private) include paths, definitions and dependencies too:
      # a folder's private headers may use its private dependencies.
      target_link_libraries(${name} PRIVATE $<TARGET_PROPERTY:${target},LINK_LIBRARIES>)
      target_include_directories(${name} PRIVATE $<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>)
      target_compile_definitions(${name} PRIVATE $<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>)
    endif()
    add_dependencies(check-headers ${name})
    list(LENGTH headers n)
    math(EXPR total "${total} + ${n}")
  endforeach()
  message(STATUS "check-headers: ${total} headers, each compiled alone (target check-headers)")
endfunction()
