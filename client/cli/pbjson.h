/*
 * pbjson.h - any protobuf-c message as JSON, by walking its descriptor:
 * one walker gives every method's reply `-o json` for free.
 */
#ifndef MMSIM_CLI_PBJSON_H
#define MMSIM_CLI_PBJSON_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

/* pb_to_json - a new JSON object (caller json_decref's it), NULL if out of memory.
 * Absent optional fields are left out; bytes become lowercase hex; unsigned
 * 64-bit values above INT64_MAX (kernel addresses) become decimal strings. */
json_t *pb_to_json(const ProtobufCMessage *msg);

#endif
