# Every generated-data template the converters can write (core/convert/faker_tokens) rendered
# through the real JavaScript sandbox (`flowtest-sandbox`, faker 9.9.0): it must exist and give a
# value of the type the table says.
if(TARGET flow_sandbox_helper AND TARGET flow_sandbox_host)
  flow_test(flow_faker_tokens_test
    SOURCES ${PROJECT_SOURCE_DIR}/tests/integration/faker_tokens_test.cpp
    DEPS flow_convert flow_template flow_sandbox_host
    LABELS sandbox)
  if(TARGET flow_faker_tokens_test)
    target_compile_definitions(flow_faker_tokens_test PRIVATE
      FLOW_SANDBOX_HELPER="$<TARGET_FILE:flow_sandbox_helper>")
    add_dependencies(flow_faker_tokens_test flow_sandbox_helper)
    set_tests_properties(flow_faker_tokens_test PROPERTIES TIMEOUT 300)
  endif()
endif()
