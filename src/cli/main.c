/* main.c - the tillit binary. */
#include "cli/cli.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    return cli_main(argc, (const char **)argv, stdout, stderr);
}
