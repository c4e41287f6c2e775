# --speed is validated by marketdata::parse_speed everywhere: a bad value is exit 2, names the
# option and the accepted forms, and no pack is written; good values run.
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
foreach(bad abc nan -1x 0x fast 1y x 1 100 inf)
  execute_process(COMMAND ${PEAK} run --synthetic 50 --speed ${bad} --out ${OUT}/runs
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "peak run --speed ${bad}: expected exit 2, got ${rc}")
  endif()
  if(NOT err MATCHES "--speed" OR NOT err MATCHES "max" OR NOT err MATCHES "10x"
     OR NOT err MATCHES "0\\.5x")
    message(FATAL_ERROR "peak run --speed ${bad}: the error names neither the option nor the "
                        "accepted forms:\n${err}")
  endif()
  execute_process(COMMAND ${PEAK} session --registry ${OUT}/registry.sqlite start
                          --speed ${bad} --out ${OUT}/runs
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "peak session start --speed ${bad}: expected exit 2, got ${rc}")
  endif()
endforeach()
if(EXISTS ${OUT}/runs)
  file(GLOB packs ${OUT}/runs/*/manifest.json)
  if(packs)
    message(FATAL_ERROR "a refused run wrote a pack: ${packs}")
  endif()
endif()
foreach(good max 10x 1000x 0.5x)
  execute_process(COMMAND ${PEAK} run --synthetic 20 --speed ${good} --out ${OUT}/good
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "peak run --speed ${good}: expected exit 0, got ${rc}:\n${err}")
  endif()
endforeach()
# The same parser guards the config file's market_data.speed.
file(WRITE ${OUT}/speed.toml "[market_data]\nspeed = \"fast\"\n")
execute_process(COMMAND ${PEAK} config check ${OUT}/speed.toml RESULT_VARIABLE rc
                OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "market_data\\.speed")
  message(FATAL_ERROR "speed = \"fast\" in a config: expected exit 2 naming market_data.speed, "
                      "got ${rc}:\n${err}")
endif()
