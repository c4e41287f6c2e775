# Terminal escape codes in file names and operator text never reach human output raw: they
# are shown as visible escapes (\x1b), so no path can draw a fake "VALID" line.
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
string(ASCII 27 esc)
string(ASCII 7 bel)
set(evil "${OUT}/x${esc}[2K${esc}[1GVALID${bel}")
function(expect_visible what text)
  if(text MATCHES "${esc}" OR text MATCHES "${bel}")
    message(FATAL_ERROR "${what}: a raw control character reached the output:\n${text}")
  endif()
  if(NOT text MATCHES "\\\\x1b")
    message(FATAL_ERROR "${what}: the escape is not shown as \\x1b:\n${text}")
  endif()
endfunction()
# Missing files whose names carry escapes.
foreach(args "config;check;${evil}.toml" "run;--config;${evil}.toml" "run;--data;${evil}.csv"
             "evidence;validate;${evil}" "audit;verify;${evil}.jsonl")
  execute_process(COMMAND ${PEAK} ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "peak ${args}: expected exit 2, got ${rc}")
  endif()
  expect_visible("peak ${args}" "${out}${err}")
endforeach()
# Operator text and a pack directory with escapes: the run prints its evidence path, validate
# prints the pack.
file(MAKE_DIRECTORY "${evil}")
execute_process(COMMAND ${PEAK} run --synthetic 200 --out "${evil}" --operator "op${esc}[31m"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "peak run into ${evil}: exit ${rc}:\n${err}")
endif()
expect_visible("peak run --out" "${out}${err}")
if(NOT out MATCHES "evidence     [^\n]*/(paper-[0-9a-zA-Z-]+)")
  message(FATAL_ERROR "peak run names no pack:\n${out}")
endif()
set(pack "${evil}/${CMAKE_MATCH_1}")
execute_process(COMMAND ${PEAK} evidence validate "${pack}" RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the pack in ${evil} is not valid (${rc}):\n${out}${err}")
endif()
expect_visible("peak evidence validate" "${out}${err}")
