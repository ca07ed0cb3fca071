# The `flowtest jp` command logic as a library; included from src/cli/CMakeLists.txt, so the
# flowtest executable and the command's test (tests/conformance/jmespath.cmake) link it.
flow_library(flow_cli_jp
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/jp_command.cpp
  DEPS flow_jmespath flow_cli_args flow_base)
