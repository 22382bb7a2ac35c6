#!/bin/sh
# t0830: the command line of 'export yaml' and 'import yaml': usage
# mistakes, choosing the organization, a directory that is not there.
. "$(dirname "$0")/lib.sh"

t "init" "$TILLIT" init
t_exit 2 "export with no organization yet" "$TILLIT" export yaml tree
err_has "no organization yet"
t "first organization" "$TILLIT" org create acme --name "Acme"
t "second organization" "$TILLIT" org create beta --name "Beta"

t_exit 2 "export without a format" "$TILLIT" export
err_has "'export' needs a subcommand (one of: yaml)"
t_exit 2 "export in an unknown format" "$TILLIT" export json out
err_has "unknown subcommand 'export json' (expected one of: yaml)"
t_exit 2 "export without a directory" "$TILLIT" export yaml
err_has "usage: tillit export yaml DIR"
t_exit 2 "export with an unknown option" "$TILLIT" export yaml tree --all
err_has "unknown option '--all'"
t_exit 2 "two organizations: which one?" "$TILLIT" export yaml tree
err_has "2 organizations exist: choose one with --org"
t "export the one named" "$TILLIT" export yaml tree --org beta
out_has "exported organization 'beta' to tree"
t "it is beta's tree" grep -qx "slug: beta" tree/organization.yaml
t_exit 2 "export an organization that does not exist" "$TILLIT" export yaml tree2 --org gamma
err_has "no organization 'gamma'"
printf 'x' >afile
t_exit 2 "export onto a file" "$TILLIT" export yaml afile --org acme
err_has "'afile' exists and is not a directory"
t "export into a new nested directory" "$TILLIT" export yaml deep/er/tree --org acme
t "it is there" test -f deep/er/tree/organization.yaml

t_exit 2 "import without a directory" "$TILLIT" import yaml
err_has "usage: tillit import yaml DIR"
t_exit 2 "import from a directory that is not there" "$TILLIT" import yaml nowhere
err_has "no directory 'nowhere'"
t_exit 2 "import with --org of another organization" "$TILLIT" import yaml tree --org acme
err_has "--org 'acme' does not match the organization of the tree ('beta' in organization.yaml)"
t "import with the matching --org" "$TILLIT" import yaml tree --org beta --dry-run
out_has "^0 to create, 0 to update, 0 to delete$"
t "an import of a renamed tree makes a third organization" sh -c \
    'sed -i "s/^slug: beta/slug: gamma/" tree/organization.yaml && "$TILLIT" import yaml tree'
out_has "^create organization gamma$"
t "three organizations" "$TILLIT" org list --format csv
out_has "^gamma,"
t "help" "$TILLIT" help import
out_has "usage: tillit import yaml DIR \[--dry-run\]"

done_testing
