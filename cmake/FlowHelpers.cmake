# flow_library(NAME SOURCES ... DEPS ...): a static library of our own code with our warnings.
# flow_test(NAME SOURCES ... DEPS ... LABELS ...): a GoogleTest executable registered with ctest.

set(FLOW_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers)
if(FLOW_SANITIZE)
  set(FLOW_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_compile_options(${FLOW_SANITIZER_FLAGS})
  add_link_options(${FLOW_SANITIZER_FLAGS})
  # GCC 12 reports false -Wmaybe-uninitialized inside libstdc++ (std::regex, std::function) once
  # ASan instruments the code; GCC's manual warns that -fsanitize makes such warnings unreliable.
  # The release build keeps the warning as an error.
  list(APPEND FLOW_WARNINGS -Wno-maybe-uninitialized)
endif()

# flow_unit_tests builds every test labelled `unit` (and what they spawn) and nothing else: the
# ASan+UBSan build of scripts/test.sh builds only this target.
if(FLOW_BUILD_TESTS AND NOT TARGET flow_unit_tests)
  add_custom_target(flow_unit_tests)
endif()

function(flow_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE ${FLOW_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

function(flow_test name)
  if(NOT FLOW_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${FLOW_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  if("unit" IN_LIST ARG_LABELS)
    add_dependencies(flow_unit_tests ${name})
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}"
    ENVIRONMENT "FLOW_SHARED_DIR=${FLOW_SHARED_DIR};FLOW_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
