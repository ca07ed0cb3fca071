# flow_write_if_changed(PATH TEXT): writes TEXT to PATH unless PATH already holds it, so that a
# generated source whose inputs did not change rebuilds nothing. For scripts run with cmake -P.
function(flow_write_if_changed path text)
  if(EXISTS "${path}")
    file(READ "${path}" old)
    if(old STREQUAL text)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${text}")
endfunction()
