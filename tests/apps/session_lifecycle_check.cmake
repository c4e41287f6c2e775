# Start a paced paper session as a detached process, see it in the registry, pull the kill
# switch through the control endpoint from this (separate) process, then stop it.
file(REMOVE_RECURSE ${OUT})
set(REG ${OUT}/registry.sqlite)
execute_process(COMMAND ${PEAK} session --registry ${REG} start --mode paper
                        --config ${SOURCE}/config/paper_demo.toml --speed 200x --out ${OUT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE id ERROR_VARIABLE err
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "session start failed (${rc}): ${err}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} list --json OUTPUT_VARIABLE list)
if(NOT list MATCHES "\"state\":\"running\"")
  message(FATAL_ERROR "session not running: ${list}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} kill ${id} RESULT_VARIABLE rc
                OUTPUT_VARIABLE kill ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT kill MATCHES "orders_after_trigger=0")
  message(FATAL_ERROR "kill failed (${rc}): ${kill} ${err}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} status ${id} --json OUTPUT_VARIABLE st)
if(NOT st MATCHES "\"state\":\"halted\"")
  message(FATAL_ERROR "session not halted after kill: ${st}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} rearm ${id} --operator ctest
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rearm failed: ${out}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} stop ${id} RESULT_VARIABLE rc
                OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "stop failed: ${out}")
endif()
# The process drains and writes its evidence; wait (bounded) for the final state.
foreach(i RANGE 100)
  execute_process(COMMAND ${PEAK} session --registry ${REG} status ${id} --json OUTPUT_VARIABLE st)
  if(st MATCHES "\"state\":\"(finished|halted)\"" AND st MATCHES "\"evidence\":\"[^\"]+\"")
    break()
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 0.2)
endforeach()
if(NOT st MATCHES "\"evidence\":\"([^\"]+)\"")
  message(FATAL_ERROR "session did not finish with evidence: ${st}")
endif()
execute_process(COMMAND ${PEAK} evidence validate ${CMAKE_MATCH_1} RESULT_VARIABLE rc OUTPUT_VARIABLE v)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "session evidence invalid: ${v}")
endif()
