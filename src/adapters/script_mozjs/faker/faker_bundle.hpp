// The @faker-js/faker bundle embedded in the binary: an esbuild IIFE that, when run as a classic
// script in a fresh global, defines `globalThis.__flowFaker(locale)`, returning a Faker instance
// for "en" or "pt_BR" (pt_BR falls back to en, then base, like faker's own locales). The text is
// read-only data in the executable, so the sandbox helper never opens a file for it.
#pragma once

#include <string_view>

namespace flow::adapters::sandbox {

std::string_view FakerBundleSource();  // UTF-8 JavaScript
std::string_view FakerVersion();       // "9.9.0"

}  // namespace flow::adapters::sandbox
