// The `input` feature in one include: InputPlan (compile), RunInputs (answer, convert, validate),
// the policies and CI detection, and the providers of the core (answers file, runner protocol,
// chain). The terminal provider is an adapter: adapters/terminal/terminal_input_provider.hpp.
#pragma once

#include "core/input/answers_file_provider.hpp"
#include "core/input/chain_provider.hpp"
#include "core/input/input_conversion.hpp"
#include "core/input/input_plan.hpp"
#include "core/input/input_policy.hpp"
#include "core/input/run_inputs.hpp"
#include "core/input/runner_protocol_provider.hpp"
