# The JSON Schema and `flowtest fmt` against the validator, the shared suites and examples/
# (python3-jsonschema checks the schema).
flow_test(flow_schema_conformance_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/schema_conformance_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/fmt_conformance_test.cpp
  DEPS flow_model flow_config flow_run flow_fmt flow_schema
  LABELS conformance)
