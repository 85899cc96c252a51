/*
 * map.c - linear-probing hash maps (see map.h).
 */
#include "map.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define EMPTY 0
#define DELETED 1

static uint64_t
hash_fix(uint64_t h)
{
	return h < 2 ? h + 2 : h;
}

static uint64_t
hash_int(int64_t k)
{
	uint64_t x = (uint64_t)k;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return hash_fix(x);
}

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return hash_fix(h);
}

void
map_init_int(struct map *m)
{
	memset(m, 0, sizeof *m);
}

void
map_init_str(struct map *m)
{
	memset(m, 0, sizeof *m);
	m->strings = 1;
}

void
map_free(struct map *m)
{
	size_t i;

	if (m->strings)
		for (i = 0; i < m->cap; i++)
			if (m->slots[i].hash > DELETED)
				free(m->slots[i].skey);
	free(m->slots);
	m->slots = NULL;
	m->cap = m->len = m->used = 0;
}

static struct map_slot *
find(const struct map *m, uint64_t h, int64_t ik, const char *sk)
{
	size_t i, mask;
	struct map_slot *s;

	if (m->cap == 0)
		return NULL;
	mask = m->cap - 1;
	for (i = h & mask;; i = (i + 1) & mask) {
		s = &m->slots[i];
		if (s->hash == EMPTY)
			return NULL;
		if (s->hash != h)
			continue;
		if (m->strings ? strcmp(s->skey, sk) == 0 : s->ikey == ik)
			return s;
	}
}

static void
grow(struct map *m)
{
	struct map_slot *old = m->slots;
	size_t oldcap = m->cap, i, mask;

	m->cap = oldcap ? oldcap * 2 : 16;
	if (m->len * 4 < oldcap)	/* mostly tombstones: rehash same size */
		m->cap = oldcap;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	mask = m->cap - 1;
	m->used = m->len;
	for (i = 0; i < oldcap; i++) {
		size_t j;

		if (old[i].hash <= DELETED)
			continue;
		for (j = old[i].hash & mask; m->slots[j].hash != EMPTY;
		    j = (j + 1) & mask)
			;
		m->slots[j] = old[i];
	}
	free(old);
}

static void
put(struct map *m, uint64_t h, int64_t ik, const char *sk, void *value)
{
	struct map_slot *s = find(m, h, ik, sk);
	size_t i, mask;

	if (s != NULL) {
		s->value = value;
		return;
	}
	if ((m->used + 1) * 4 >= m->cap * 3)
		grow(m);
	mask = m->cap - 1;
	for (i = h & mask; m->slots[i].hash > DELETED; i = (i + 1) & mask)
		;
	s = &m->slots[i];
	if (s->hash == EMPTY)
		m->used++;
	s->hash = h;
	s->ikey = ik;
	s->skey = sk ? xstrdup(sk) : NULL;
	s->value = value;
	m->len++;
}

static void *
del(struct map *m, struct map_slot *s)
{
	void *v;

	if (s == NULL)
		return NULL;
	v = s->value;
	free(s->skey);
	s->skey = NULL;
	s->hash = DELETED;
	m->len--;
	return v;
}

void *
map_get_int(const struct map *m, int64_t key)
{
	struct map_slot *s = find(m, hash_int(key), key, NULL);
	return s ? s->value : NULL;
}

void
map_put_int(struct map *m, int64_t key, void *value)
{
	put(m, hash_int(key), key, NULL, value);
}

void *
map_del_int(struct map *m, int64_t key)
{
	return del(m, find(m, hash_int(key), key, NULL));
}

void *
map_get_str(const struct map *m, const char *key)
{
	struct map_slot *s = find(m, hash_str(key), 0, key);
	return s ? s->value : NULL;
}

void
map_put_str(struct map *m, const char *key, void *value)
{
	put(m, hash_str(key), 0, key, value);
}

void *
map_del_str(struct map *m, const char *key)
{
	return del(m, find(m, hash_str(key), 0, key));
}
