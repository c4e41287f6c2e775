# A symbol that cannot be written into the pack's CSV files or shown on a terminal (comma,
# quote, control characters) is refused by `config check` and `peak run` (exit 2, the key
# named), so a run never produces a pack its own validator calls INVALID.
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
string(ASCII 27 esc)
set(i 0)
foreach(symbol "BTC,USD" "BTC\\\"USD" "BTC'USD" "BTC\\nUSD" "BTC\\tUSD" "BTC\\u001b[2JUSD"
               "BTC\\u007fUSD" "BTC\\u009bUSD")
  math(EXPR i "${i} + 1")
  file(WRITE ${OUT}/s${i}.toml "[[instruments]]\nsymbol = \"${symbol}\"\ntick_size = 0.01\n"
                               "lot_size = 0.001\n")
  execute_process(COMMAND ${PEAK} config check ${OUT}/s${i}.toml RESULT_VARIABLE rc
                  OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 2 OR NOT err MATCHES "instruments\\[0\\]\\.symbol")
    message(FATAL_ERROR "symbol ${symbol}: expected exit 2 naming instruments[0].symbol, got "
                        "${rc}:\n${err}")
  endif()
  if(err MATCHES "${esc}")
    message(FATAL_ERROR "symbol ${symbol}: a raw ESC reached the terminal:\n${err}")
  endif()
  execute_process(COMMAND ${PEAK} run --config ${OUT}/s${i}.toml --synthetic 20
                          --out ${OUT}/runs
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "peak run with symbol ${symbol}: expected exit 2, got ${rc}")
  endif()
endforeach()
# Ordinary symbols still pass.
file(WRITE ${OUT}/ok.toml "[[instruments]]\nsymbol = \"BTC-USD.PERP/1\"\ntick_size = 0.01\n"
                          "lot_size = 0.001\n")
execute_process(COMMAND ${PEAK} config check ${OUT}/ok.toml RESULT_VARIABLE rc
                OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "an ordinary symbol was refused (${rc}):\n${err}")
endif()
