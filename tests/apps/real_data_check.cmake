# Run through sh from CMakeLists.txt, which skips (exit 77) when the shared data is absent.
file(REMOVE_RECURSE ${OUT})
foreach(mode paper shadow)
  execute_process(COMMAND ${PEAK} run --config ${SOURCE}/config/gbpusd_replay.toml --mode ${mode}
                          --out ${OUT} --verify-determinism
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "determinism  OK")
    message(FATAL_ERROR "${mode} replay not deterministic (${rc}):\n${out}\n${err}")
  endif()
  if(NOT out MATCHES "events       30117")
    message(FATAL_ERROR "${mode} replay did not read the month of bars:\n${out}")
  endif()
  string(REGEX MATCH "evidence     ([^\n]+)" _ "${out}")
  execute_process(COMMAND ${PEAK} evidence validate ${CMAKE_MATCH_1} RESULT_VARIABLE rc OUTPUT_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${mode} replay pack invalid")
  endif()
endforeach()
