execute_process(COMMAND ${PEAK} run --data ${OUT}/no-such-file.csv --out ${OUT}/runs
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "expected exit 2, got ${rc}: ${err}")
endif()
if(NOT err MATCHES "no-such-file.csv")
  message(FATAL_ERROR "error does not name the file: ${err}")
endif()
