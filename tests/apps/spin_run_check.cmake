# `peak run --spin` on a paced replay (20,000 synthetic events ~50 ms apart at 20,000x:
# about 0.05 s of wall time) against the reference engine: identical deterministic content.
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${PEAK} run --mode paper --synthetic 20000 --seed 7 --speed 20000x
                        --spin --out ${OUT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "peak run --spin failed (${rc}):\n${out}\n${err}")
endif()
string(REGEX MATCH "evidence     ([^\n]+)" _ "${out}")
set(pack ${CMAKE_MATCH_1})
execute_process(COMMAND ${PEAK} run --mode paper --synthetic 20000 --seed 7 --speed 20000x
                        --engine reference --out ${OUT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE rout ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "peak run --engine reference failed (${rc}):\n${rout}\n${err}")
endif()
string(REGEX MATCH "evidence     ([^\n]+)" _ "${rout}")
execute_process(COMMAND ${PEAK} evidence compare ${pack} ${CMAKE_MATCH_1} RESULT_VARIABLE rc
                OUTPUT_VARIABLE cout)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "spinning graph and reference packs differ:\n${cout}")
endif()
execute_process(COMMAND ${PEAK} evidence validate ${pack} RESULT_VARIABLE rc OUTPUT_VARIABLE vout)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pack invalid (${rc}):\n${vout}")
endif()
