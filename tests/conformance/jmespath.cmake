# JMESPath conformance: every upstream compliance case, read from $FLOW_SHARED_DIR.
flow_test(flow_jmespath_conformance_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/jmespath_conformance_test.cpp
  DEPS flow_jmespath
  LABELS conformance)

# The `flowtest jp` command logic, whose library src/cli/jp.cmake defines.
if(TARGET flow_cli_jp)
  flow_test(flow_cli_jp_test
    SOURCES ${PROJECT_SOURCE_DIR}/src/cli/jp_command_test.cpp
    DEPS flow_cli_jp
    LABELS unit)
endif()
