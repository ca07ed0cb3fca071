# Configuration loading and suite discovery for the CLI: the only part of the configuration
# that touches the file system. Included from src/cli/CMakeLists.txt.
flow_library(flow_cli_discovery
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_loader.cpp ${CMAKE_CURRENT_LIST_DIR}/discovery.cpp
  DEPS flow_config flow_parse flow_base)
flow_test(flow_cli_discovery_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_loader_test.cpp ${CMAKE_CURRENT_LIST_DIR}/discovery_test.cpp
  DEPS flow_cli_discovery)
