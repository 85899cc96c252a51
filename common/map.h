/*
 * map.h - open-addressing hash maps from a 64-bit integer or a string key to
 * a pointer.  The map never owns the values; a string map copies its keys.
 */
#ifndef ATELIER_MAP_H
#define ATELIER_MAP_H

#include <stddef.h>
#include <stdint.h>

struct map_slot {
	uint64_t hash;		/* 0 = empty, 1 = deleted */
	int64_t ikey;
	char *skey;		/* owned copy for string maps */
	void *value;
};

struct map {
	struct map_slot *slots;
	size_t cap;		/* power of two, or 0 */
	size_t len;		/* live entries */
	size_t used;		/* live + deleted */
	int strings;		/* 1 for a string map */
};

void map_init_int(struct map *m);
void map_init_str(struct map *m);
void map_free(struct map *m);

void *map_get_int(const struct map *m, int64_t key);
void map_put_int(struct map *m, int64_t key, void *value);
void *map_del_int(struct map *m, int64_t key);

void *map_get_str(const struct map *m, const char *key);
void map_put_str(struct map *m, const char *key, void *value);
void *map_del_str(struct map *m, const char *key);

#endif
