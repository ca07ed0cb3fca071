// The stand-alone sandbox helper that tests spawn; the flowtest binary runs the same entry for
// `flowtest __sandbox-helper`.
#include "adapters/script_mozjs/helper/helper_main.hpp"

int main(int argc, char** argv) { return flow::adapters::sandbox::RunSandboxHelper(argc, argv); }
