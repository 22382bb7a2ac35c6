/* person.h - the people of an organization: who owns controls, risks and
 * policies, who approves, who reports to whom.
 *
 * A person is known by email, unique within the organization; references to
 * people (manager, owners) use that email.  Rules: a valid email, a name,
 * strict YYYY-MM-DD dates with end >= start, and a manager who is another
 * person of the same organization without forming a cycle.  A person still
 * referenced (owner of a control, risk or policy, manager of someone, approver
 * of or acknowledger of a policy version) cannot be removed.  Every change is
 * audited ("person.add", "person.edit", "person.remove").
 *
 * Ownership: every string in a struct app_person that a function fills lives
 * in the caller's arena; the structs passed in are only borrowed.
 */
#ifndef TL_PERSON_H
#define TL_PERSON_H

#include "app/record.h"

#include <stdint.h>

#ifndef APP_KEEP
/* A flag left as APP_KEEP in a patch is not changed by an update. */
#define APP_KEEP (-1)
#endif

struct app_person {
    const char *id;         /* filled on read; ignored on input */
    const char *email;      /* natural key */
    const char *name;
    const char *title;      /* "" when unknown */
    const char *department; /* "" when unknown */
    const char *manager;    /* the manager's email; NULL or "" = none */
    const char *start_date; /* YYYY-MM-DD; NULL or "" = unknown */
    const char *end_date;   /* YYYY-MM-DD; NULL or "" = still employed */
    int is_control_owner;   /* 0 or 1; APP_KEEP in a patch = unchanged */
    int is_approver;        /* 0 or 1; APP_KEEP in a patch = unchanged */
    int active;             /* computed on read: employed on app->now's date */
    int64_t version;        /* edits so far, from 1; an update's expected one (0 = any) */
};

/* A patch that changes nothing; set the fields to change. */
#define APP_PERSON_PATCH {.is_control_owner = APP_KEEP, .is_approver = APP_KEEP}

struct app_person_filter {
    const char *department; /* exact department, or NULL for all */
    int active_only;        /* only people employed on app->now's date */
};

/** All people of organization org_id matching f (NULL = all), ordered by
 *  email, as an array of *n entries in a. */
int app_person_list(struct app *app, struct arena *a, const char *org_id,
                    const struct app_person_filter *f, struct app_person **out, size_t *n,
                    struct err *e);

/** The person with email of organization org_id; TL_ENOTFOUND naming the
 *  email when there is none. */
int app_person_get(struct app *app, struct arena *a, const char *org_id, const char *email,
                   struct app_person *out, struct err *e);

/** Adds in (email and name required) to organization org_id.  Fails with
 *  TL_EINPUT naming the bad field, TL_ENOTFOUND for an unknown manager,
 *  TL_EEXIST when the email is taken; nothing changes on failure.  out, when
 *  not NULL, receives the stored person. */
int app_person_create(struct app *app, struct arena *a, const char *org_id,
                      const struct app_person *in, struct app_person *out, struct err *e);

/** Applies patch (start from APP_PERSON_PATCH) to the person with email:
 *  NULL strings and APP_KEEP flags are unchanged; "" clears manager, start
 *  and end dates, title and department; a new patch->email renames.  The
 *  result is checked as a whole (end >= start, no manager cycle).  A
 *  patch->version other than 0 that is not the person's current version
 *  fails with TL_ECONFLICT naming who changed the person and when. */
int app_person_update(struct app *app, struct arena *a, const char *org_id, const char *email,
                      const struct app_person *patch, struct err *e);

/** Removes the person with email.  Refuses with TL_ECONFLICT, naming what
 *  still references them, while they own controls, risks or policies,
 *  manage someone, approved or acknowledged a policy version. */
int app_person_delete(struct app *app, struct arena *a, const char *org_id, const char *email,
                      struct err *e);

#endif
