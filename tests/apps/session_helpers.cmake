# Helpers shared by the session CLI checks (run with cmake -P). The including script sets PEAK
# (the peak binary) and REG (the session registry) before calling them.

# Sets ${out_var} to `peak session status ID --json`; fails the test if the command fails.
function(session_status id out_var)
  execute_process(COMMAND ${PEAK} session --registry ${REG} status ${id} --json
                  RESULT_VARIABLE rc OUTPUT_VARIABLE st)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "status ${id} failed (${rc})")
  endif()
  set(${out_var} "${st}" PARENT_SCOPE)
endfunction()

# Polls the session's status (at most tries + 1 times, `interval` seconds apart) until it
# matches every regex given after out_var; sets ${out_var} to the last status either way.
function(wait_session_status id tries interval out_var)
  foreach(i RANGE ${tries})
    session_status(${id} st)
    set(all TRUE)
    foreach(regex IN LISTS ARGN)
      if(NOT st MATCHES "${regex}")
        set(all FALSE)
      endif()
    endforeach()
    if(all)
      break()
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E sleep ${interval})
  endforeach()
  set(${out_var} "${st}" PARENT_SCOPE)
endfunction()

# Waits (at most tries + 1 checks, 0.1 s apart) until process `pid` is gone or a zombie;
# sets ${alive_var} to 0 if it still runs, to non-zero once it is gone.
function(wait_process_gone pid tries alive_var)
  foreach(i RANGE ${tries})
    execute_process(COMMAND sh -c "test -d /proc/${pid} && ! grep -q ') Z' /proc/${pid}/stat"
                    RESULT_VARIABLE alive)
    if(NOT alive EQUAL 0)
      break()
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 0.1)
  endforeach()
  set(${alive_var} ${alive} PARENT_SCOPE)
endfunction()
