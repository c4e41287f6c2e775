# Runs a shadow session twice with --verify-determinism (exit 0, determinism confirmed), then
# validates the pack.
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${PEAK} run --mode shadow --synthetic 20000 --seed 3 --verify-determinism
                        --out ${OUT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "peak run --mode shadow --verify-determinism failed (${rc}):\n${out}\n${err}")
endif()
if(NOT out MATCHES "determinism  OK")
  message(FATAL_ERROR "determinism not confirmed:\n${out}")
endif()
string(REGEX MATCH "evidence     ([^\n]+)" _ "${out}")
set(pack ${CMAKE_MATCH_1})
file(READ ${pack}/run_manifest.json manifest)
string(JSON mode GET "${manifest}" mode)
if(NOT mode STREQUAL "shadow")
  message(FATAL_ERROR "run_manifest.json mode is '${mode}', expected shadow")
endif()
execute_process(COMMAND ${PEAK} evidence validate ${pack} RESULT_VARIABLE rc OUTPUT_VARIABLE vout)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pack invalid (${rc}):\n${vout}")
endif()
