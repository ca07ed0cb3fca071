# Red-team suite of the JavaScript sandbox: hostile suites run through the core Runner against the
# real helper (`flowtest-sandbox`, the executable flowtest starts: the product path). Each
# attack must fail its step cleanly and leave the engine usable (docs/adr/0004).
if(TARGET flow_sandbox_helper AND TARGET flow_sandbox_host)
  flow_test(flow_sandbox_redteam_test
    SOURCES ${PROJECT_SOURCE_DIR}/tests/integration/sandbox_redteam_test.cpp
    DEPS flow_run flow_report flow_parse flow_sandbox_host
    LABELS sandbox)
  if(TARGET flow_sandbox_redteam_test)
    target_compile_definitions(flow_sandbox_redteam_test PRIVATE
      FLOW_SANDBOX_HELPER="$<TARGET_FILE:flow_sandbox_helper>")
    add_dependencies(flow_sandbox_redteam_test flow_sandbox_helper)
    set_tests_properties(flow_sandbox_redteam_test PROPERTIES TIMEOUT 300)
  endif()
endif()
