/*
 * status.c - names and descriptions of the wire status codes (status.h).
 * The errno names are listed here rather than taken from strerror so the
 * text is the same on every host and in every client.
 */
#include <errno.h>
#include <stddef.h>

#include "status.h"

struct status_desc {
	int code;
	const char *name;
	const char *text;
};

static const struct status_desc status_table[] = {
    {MMSIM_OK, "OK", "Success"},
    {EPERM, "EPERM", "Operation not permitted"},
    {ENOENT, "ENOENT", "No such file or directory"},
    {ESRCH, "ESRCH", "No such process"},
    {EINTR, "EINTR", "Interrupted system call"},
    {EIO, "EIO", "Input/output error"},
    {E2BIG, "E2BIG", "Argument list too long"},
    {EBADF, "EBADF", "Bad file descriptor"},
    {EAGAIN, "EAGAIN", "Resource temporarily unavailable"},
    {ENOMEM, "ENOMEM", "Cannot allocate memory"},
    {EACCES, "EACCES", "Permission denied"},
    {EFAULT, "EFAULT", "Bad address"},
    {EBUSY, "EBUSY", "Device or resource busy"},
    {EEXIST, "EEXIST", "File exists"},
    {ENODEV, "ENODEV", "No such device"},
    {EINVAL, "EINVAL", "Invalid argument"},
    {ENFILE, "ENFILE", "Too many open files in system"},
    {EMFILE, "EMFILE", "Too many open files"},
    {EFBIG, "EFBIG", "File too large"},
    {ENOSPC, "ENOSPC", "No space left on device"},
    {ERANGE, "ERANGE", "Numerical result out of range"},
    {ENOSYS, "ENOSYS", "Function not implemented"},
    {EOVERFLOW, "EOVERFLOW", "Value too large for defined data type"},
    {MMSIM_E_MALFORMED, "MALFORMED_FRAME", "Malformed frame or payload"},
    {MMSIM_E_UNKNOWN_METHOD, "UNKNOWN_METHOD", "Unknown method"},
    {MMSIM_E_UNAUTHENTICATED, "UNAUTHENTICATED", "No valid client certificate"},
    {MMSIM_E_PERMISSION, "PERMISSION_DENIED", "Not allowed for this tenant"},
    {MMSIM_E_EXHAUSTED, "RESOURCE_EXHAUSTED", "A limit or quota was reached"},
    {MMSIM_E_SHUTDOWN, "SHUTTING_DOWN", "The daemon is shutting down"},
    {MMSIM_E_INTERNAL, "INTERNAL", "Internal error"},
    {MMSIM_E_TIMEOUT, "TIMEOUT", "Deadline exceeded"},
};

static const struct status_desc *status_lookup(int code)
{
	for (size_t i = 0; i < sizeof(status_table) / sizeof(status_table[0]); i++)
		if (status_table[i].code == code)
			return &status_table[i];
	return NULL;
}

const char *mmsim_status_name(int code)
{
	const struct status_desc *d = status_lookup(code);

	return d ? d->name : "UNKNOWN";
}

const char *mmsim_status_text(int code)
{
	const struct status_desc *d = status_lookup(code);

	return d ? d->text : "Unknown status";
}
