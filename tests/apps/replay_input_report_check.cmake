# peak run on a replayed CSV with one malformed line: the summary counts lines read, skipped
# and malformed and names the malformed line as file:line with its reason; metrics.json has
# the same counts; the pack validates. A replay without market events says so (exit 0).
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
set(bars ${OUT}/bars.csv)
file(WRITE ${bars}
     "timestamp,open,high,low,close\n"
     "2024-01-01 00:00:00+00:00,1.0,1.1,0.9,1.05\n"
     "2024-01-01 00:01:00+00:00,1.05,1.2,1.0,1.1\n"
     "2024-01-01 00:02:00+00:00,1.1,oops,1.0,1.15\n"
     "2024-01-01 00:03:00+00:00,1.1,1.2,1.0,1.15\n")
execute_process(COMMAND ${PEAK} run --data ${bars} --out ${OUT}/runs
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "peak run: expected exit 0, got ${rc}:\n${out}\n${err}")
endif()
if(NOT out MATCHES "input +1 file, 5 lines read: 3 data, 1 non-data skipped, 1 malformed")
  message(FATAL_ERROR "summary does not count the input lines:\n${out}")
endif()
string(REGEX REPLACE "([][+.*()^$?|\\\\])" "\\\\\\1" bars_re "${bars}")
if(NOT out MATCHES "malformed +${bars_re}:4: [^\n]+")
  message(FATAL_ERROR "summary does not name the malformed line ${bars}:4:\n${out}")
endif()
if(out MATCHES "WARNING")
  message(FATAL_ERROR "unexpected warning:\n${out}")
endif()
file(GLOB packs ${OUT}/runs/*/metrics.json)
list(LENGTH packs n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one metrics.json, found ${n}")
endif()
file(READ ${packs} metrics)
foreach(member "\"replayed\": true" "\"lines\": 5" "\"data_lines\": 3" "\"non_data_skipped\": 1"
               "\"malformed\": 1" "\"line\": 4")
  string(FIND "${metrics}" "${member}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "metrics.json lacks ${member}:\n${metrics}")
  endif()
endforeach()
get_filename_component(pack ${packs} DIRECTORY)
execute_process(COMMAND ${PEAK} evidence validate ${pack} RESULT_VARIABLE rc OUTPUT_VARIABLE vout
                ERROR_VARIABLE verr)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "evidence validate ${pack}: ${rc}\n${vout}\n${verr}")
endif()

# Only a header and a malformed row: no market events, said clearly, not an error.
file(WRITE ${OUT}/none.csv "timestamp,open,high,low,close\nnot,a,bar\n")
execute_process(COMMAND ${PEAK} run --data ${OUT}/none.csv --out ${OUT}/runs_none
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "peak run (no events): expected exit 0, got ${rc}:\n${out}\n${err}")
endif()
if(NOT out MATCHES "WARNING +the replay produced no market events")
  message(FATAL_ERROR "summary does not say the replay produced no market events:\n${out}")
endif()
if(NOT out MATCHES "none.csv:2: ")
  message(FATAL_ERROR "summary does not name the malformed line none.csv:2:\n${out}")
endif()
