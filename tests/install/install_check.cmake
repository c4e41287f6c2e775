# cmake -DBUILD_DIR=<build tree> -DOUT=<scratch dir> -P install_check.cmake
file(REMOVE_RECURSE ${OUT})
set(prefix ${OUT}/prefix)
set(cwd ${OUT}/elsewhere)
file(MAKE_DIRECTORY ${cwd})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc}):\n${out}\n${err}")
endif()
foreach(f bin/peak share/peak/alerts/peak_alerts.yml share/peak/alerts/peak_alerts_test.yml
          share/peak/grafana/peak_session.json share/peak/config/paper_demo.toml
          share/doc/peak/runbooks/kill_switch.md)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "the install tree lacks ${f}")
  endif()
endforeach()

# The installed binary, from a directory that is neither the source nor the build tree.
set(peak ${prefix}/bin/peak)
execute_process(COMMAND ${peak} run --mode paper --synthetic 100000 --seed 7
                WORKING_DIRECTORY ${cwd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "installed peak run failed (${rc}):\n${out}\n${err}")
endif()
file(GLOB packs ${cwd}/runs/*/manifest.json)
list(LENGTH packs n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one evidence pack under ${cwd}/runs, found ${n}:\n${out}")
endif()
get_filename_component(pack ${packs} DIRECTORY)
execute_process(COMMAND ${peak} evidence validate ${pack} WORKING_DIRECTORY ${cwd}
                RESULT_VARIABLE rc OUTPUT_VARIABLE vout ERROR_VARIABLE verr)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the installed peak's pack ${pack} is invalid (${rc}):\n${vout}\n${verr}")
endif()
execute_process(COMMAND ${peak} config check ${prefix}/share/peak/config/paper_demo.toml
                WORKING_DIRECTORY ${cwd} RESULT_VARIABLE rc OUTPUT_VARIABLE cout ERROR_VARIABLE cerr)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the installed example config is refused (${rc}):\n${cout}\n${cerr}")
endif()
