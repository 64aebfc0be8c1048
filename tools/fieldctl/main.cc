// fieldctl: the admin CLI of fieldwork. Everything lives in cli.cc and the *_commands.cc files.
#include "tools/fieldctl/cli.h"

int main(int argc, char** argv) { return fieldwork::fieldctl::RunFieldctl(argc, argv); }
