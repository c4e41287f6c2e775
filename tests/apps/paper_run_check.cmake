# Runs a paper session twice with --verify-determinism, then validates the pack.
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${PEAK} run --mode paper --synthetic 100000 --seed 7 --out ${OUT}
                        --verify-determinism
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "peak run failed (${rc}):\n${out}\n${err}")
endif()
if(NOT out MATCHES "determinism  OK")
  message(FATAL_ERROR "determinism not confirmed:\n${out}")
endif()
string(REGEX MATCH "evidence     ([^\n]+)" _ "${out}")
set(pack ${CMAKE_MATCH_1})
foreach(f trades.csv equity.csv orders.csv run_manifest.json manifest.json metrics.json
          audit_log.jsonl config_snapshot.toml)
  if(NOT EXISTS ${pack}/${f})
    message(FATAL_ERROR "missing ${f} in ${pack}")
  endif()
endforeach()
execute_process(COMMAND ${PEAK} evidence validate ${pack} RESULT_VARIABLE rc OUTPUT_VARIABLE vout)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pack invalid (${rc}):\n${vout}")
endif()
# The reference engine writes the same deterministic content as the actor graph.
execute_process(COMMAND ${PEAK} run --mode paper --synthetic 100000 --seed 7 --out ${OUT}
                        --engine reference
                RESULT_VARIABLE rc OUTPUT_VARIABLE rout)
string(REGEX MATCH "evidence     ([^\n]+)" _ "${rout}")
execute_process(COMMAND ${PEAK} evidence compare ${pack} ${CMAKE_MATCH_1} RESULT_VARIABLE rc
                OUTPUT_VARIABLE cout)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "graph and reference packs differ:\n${cout}")
endif()
# Tampering is detected.
file(APPEND ${pack}/trades.csv "tampered\n")
execute_process(COMMAND ${PEAK} evidence validate ${pack} RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "tampered pack not refused with exit 1 (got ${rc})")
endif()
