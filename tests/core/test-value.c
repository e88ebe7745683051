/* SPDX-License-Identifier: MIT */
/*
 * The value tree (core/value.c, core/handle.c): builders, move semantics,
 * maps, copy/equal, poisoning, handles and strict UTF-8.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linx-test.h"

/* A value that owns heap memory, so a missed free shows up under ASan. */
static struct linx_value str(const char *s)
{
	struct linx_value v;

	ck_assert_int_eq(linx_value_cstring(&v, s), 0);
	return v;
}

START_TEST(scalars)
{
	struct linx_value v = linx_value_int(INT64_MIN);
	int64_t i;
	uint64_t u;

	ck_assert_int_eq(v.type, LINX_INT);
	ck_assert(linx_value_get_i64(&v, &i) && i == INT64_MIN);
	ck_assert(!linx_value_get_u64(&v, &u));
	v = linx_value_uint(UINT64_MAX);
	ck_assert(!linx_value_get_i64(&v, &i));
	ck_assert(linx_value_get_u64(&v, &u) && u == UINT64_MAX);
	v = linx_value_uint((uint64_t)INT64_MAX);
	ck_assert(linx_value_get_i64(&v, &i) && i == INT64_MAX);
	v = linx_value_int(0);
	ck_assert(linx_value_get_u64(&v, &u) && u == 0);
	v = linx_value_bool(true);
	ck_assert(!linx_value_get_i64(&v, &i));
	ck_assert(!linx_value_get_i64(NULL, &i));
	ck_assert_str_eq(linx_type_name(LINX_HANDLE), "handle");
	ck_assert_str_eq(linx_type_name(LINX_NIL), "nil");
	ck_assert_str_eq(linx_type_name(LINX_TYPE_COUNT), "invalid");
	ck_assert_str_eq(linx_type_name(~0u), "invalid");
	/* Clearing a scalar or nil is harmless; NULL is accepted. */
	linx_value_clear(&v);
	ck_assert_int_eq(v.type, LINX_NIL);
	linx_value_clear(NULL);
}
END_TEST

START_TEST(strings_and_bytes)
{
	struct linx_value v;
	static const uint8_t raw[] = { 0, 1, 0xff, 0 };

	ck_assert_int_eq(linx_value_string(&v, "abc\0def", 3), 0);
	ck_assert_int_eq(v.type, LINX_STRING);
	ck_assert_int_eq(v.len, 3);
	ck_assert_str_eq(v.str, "abc"); /* stored NUL-terminated */
	linx_value_clear(&v);
	ck_assert_int_eq(v.type, LINX_NIL);

	ck_assert_int_eq(linx_value_string(&v, "", 0), 0);
	ck_assert_int_eq(v.len, 0);
	ck_assert_str_eq(v.str, "");
	linx_value_clear(&v);
	ck_assert_int_eq(linx_value_string(&v, NULL, 0), 0);
	ck_assert_str_eq(v.str, "");
	linx_value_clear(&v);

	/* Refusals leave nil behind. */
	v = linx_value_int(7);
	ck_assert_int_eq(linx_value_string(&v, "a\0b", 3), -EINVAL);
	ck_assert_int_eq(v.type, LINX_NIL);
	ck_assert_int_eq(linx_value_string(&v, "\xc0\x80", 2), -EINVAL);
	ck_assert_int_eq(linx_value_string(&v, NULL, 1), -EINVAL);
	ck_assert_int_eq(linx_value_cstring(&v, NULL), -EINVAL);
	ck_assert_int_eq(v.type, LINX_NIL);
	ck_assert_int_eq(linx_value_string(&v, "x",
					   (size_t)LINX_VALUE_MAX_LEN + 1),
			 -E2BIG);
	ck_assert_int_eq(linx_value_bytes(&v, raw,
					  (size_t)LINX_VALUE_MAX_LEN + 1),
			 -E2BIG);
	ck_assert_int_eq(v.type, LINX_NIL);

	ck_assert_int_eq(linx_value_bytes(&v, raw, sizeof(raw)), 0);
	ck_assert_int_eq(v.type, LINX_BYTES);
	ck_assert_int_eq(v.len, 4);
	ck_assert_mem_eq(v.bytes, raw, 4);
	ck_assert_int_eq(v.bytes[4], 0);
	linx_value_clear(&v);
	ck_assert_int_eq(linx_value_bytes(&v, NULL, 0), 0);
	ck_assert_int_eq(v.len, 0);
	linx_value_clear(&v);
	ck_assert_int_eq(linx_value_bytes(&v, NULL, 3), -EINVAL);
	ck_assert_int_eq(v.type, LINX_NIL);
}
END_TEST

/* Every builder refuses a NULL output instead of writing through it. */
START_TEST(null_outputs)
{
	struct linx_value src = linx_value_int(1);

	ck_assert_int_eq(linx_value_string(NULL, "a", 1), -EINVAL);
	ck_assert_int_eq(linx_value_cstring(NULL, "a"), -EINVAL);
	ck_assert_int_eq(linx_value_bytes(NULL, "a", 1), -EINVAL);
	ck_assert_int_eq(linx_value_copy(NULL, &src), -EINVAL);
	ck_assert_int_eq(linx_value_status(NULL), -EINVAL);
	ck_assert(!linx_value_equal(NULL, &src));
	ck_assert(!linx_value_equal(&src, NULL));
}
END_TEST

START_TEST(list_push_moves)
{
	struct linx_value list = linx_value_list(), s = str("hello");
	struct linx_value nested = linx_value_list();

	ck_assert_int_eq(linx_list_push(&list, &s), 0);
	ck_assert_int_eq(s.type, LINX_NIL); /* moved */
	ck_assert_int_eq(linx_list_push_int(&list, -5), 0);
	ck_assert_int_eq(linx_list_push_uint(&list, 5), 0);
	ck_assert_int_eq(linx_list_push_cstring(&list, "x"), 0);
	ck_assert_int_eq(linx_list_push_int(&nested, 1), 0);
	ck_assert_int_eq(linx_list_push(&list, &nested), 0);
	ck_assert_int_eq(nested.type, LINX_NIL);
	ck_assert_int_eq(list.len, 5);
	ck_assert_str_eq(list.items[0].str, "hello");
	ck_assert_int_eq(list.items[1].i, -5);
	ck_assert_int_eq(list.items[2].u, 5);
	ck_assert_str_eq(list.items[3].str, "x");
	ck_assert_int_eq(list.items[4].items[0].i, 1);
	ck_assert_int_eq(linx_value_status(&list), 0);

	/* Many pushes: the array grows and keeps its contents. */
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(linx_list_push_int(&list, i), 0);
	ck_assert_int_eq(list.len, 1005);
	ck_assert_int_eq(list.items[1004].i, 999);
	linx_value_clear(&list);
	ck_assert_int_eq(list.type, LINX_NIL);
}
END_TEST

/* A failed push still consumes its argument (no leak under ASan). */
START_TEST(list_push_failure_moves)
{
	struct linx_value notalist = linx_value_map(), s = str("owned");

	ck_assert_int_eq(linx_list_push(&notalist, &s), -EINVAL);
	ck_assert_int_eq(s.type, LINX_NIL);
	ck_assert_int_eq(notalist.len, 0);
	s = str("owned");
	ck_assert_int_eq(linx_list_push(NULL, &s), -EINVAL);
	ck_assert_int_eq(s.type, LINX_NIL);
	ck_assert_int_eq(linx_list_push(&notalist, NULL), -EINVAL);
	ck_assert_int_eq(linx_list_push_cstring(NULL, "x"), -EINVAL);
	linx_value_clear(&notalist);
}
END_TEST

/* Pushing a container into itself would make a cycle: refused. */
START_TEST(push_into_itself)
{
	struct linx_value list = linx_value_list(), map = linx_value_map();

	ck_assert_int_eq(linx_list_push_int(&list, 1), 0);
	ck_assert_int_eq(linx_list_push(&list, &list), -EINVAL);
	ck_assert_int_eq(list.type, LINX_LIST);
	ck_assert_int_eq(list.len, 1);
	ck_assert_int_eq(linx_value_status(&list), -EINVAL);
	ck_assert_int_eq(linx_map_put_int(&map, "a", 1), 0);
	ck_assert_int_eq(linx_map_put(&map, "self", &map), -EINVAL);
	ck_assert_int_eq(map.type, LINX_MAP);
	ck_assert_int_eq(map.len, 1);
	ck_assert_int_eq(linx_value_status(&map), -EINVAL);
	linx_value_clear(&list);
	linx_value_clear(&map);
}
END_TEST

START_TEST(map_put_and_get)
{
	struct linx_value map = linx_value_map(), v = str("value");
	const struct linx_value *g;
	static const uint8_t raw[] = { 1, 2, 3 };

	ck_assert_int_eq(linx_map_put(&map, "s", &v), 0);
	ck_assert_int_eq(v.type, LINX_NIL);
	ck_assert_int_eq(linx_map_put_nil(&map, "nil"), 0);
	ck_assert_int_eq(linx_map_put_bool(&map, "b", true), 0);
	ck_assert_int_eq(linx_map_put_int(&map, "i", INT64_MIN), 0);
	ck_assert_int_eq(linx_map_put_uint(&map, "u", UINT64_MAX), 0);
	ck_assert_int_eq(linx_map_put_cstring(&map, "c", "cstr"), 0);
	ck_assert_int_eq(linx_map_put_cstring(&map, "cnull", NULL), 0);
	ck_assert_int_eq(linx_map_put_string(&map, "str", "abcdef", 3), 0);
	ck_assert_int_eq(linx_map_put_bytes(&map, "by", raw, 3), 0);
	ck_assert_int_eq(linx_map_put_int(&map, "", 0), 0); /* empty key ok */
	ck_assert_int_eq(linx_map_put_int(&map, "\xc3\xa9t\xc3\xa9", 1), 0);
	ck_assert_int_eq(map.len, 11);
	ck_assert_int_eq(linx_value_status(&map), 0);

	ck_assert_str_eq(linx_map_get(&map, "s")->str, "value");
	ck_assert_int_eq(linx_map_get(&map, "nil")->type, LINX_NIL);
	ck_assert(linx_map_get(&map, "b")->b);
	ck_assert_int_eq(linx_map_get(&map, "i")->i, INT64_MIN);
	ck_assert(linx_map_get(&map, "u")->u == UINT64_MAX);
	ck_assert_str_eq(linx_map_get(&map, "c")->str, "cstr");
	ck_assert_int_eq(linx_map_get(&map, "cnull")->type, LINX_NIL);
	g = linx_map_get(&map, "str");
	ck_assert_int_eq(g->len, 3);
	ck_assert_str_eq(g->str, "abc");
	ck_assert_mem_eq(linx_map_get(&map, "by")->bytes, raw, 3);
	ck_assert_ptr_nonnull(linx_map_get(&map, ""));
	ck_assert_ptr_nonnull(linx_map_get(&map, "\xc3\xa9t\xc3\xa9"));
	/* Misses: unknown, prefix, longer key, not a map, NULL. */
	ck_assert_ptr_null(linx_map_get(&map, "missing"));
	ck_assert_ptr_null(linx_map_get(&map, "st"));
	ck_assert_ptr_null(linx_map_get(&map, "strx"));
	ck_assert_ptr_null(linx_map_get(&map, NULL));
	ck_assert_ptr_null(linx_map_get(NULL, "s"));
	v = linx_value_list();
	ck_assert_ptr_null(linx_map_get(&v, "s"));
	/* Insertion order is kept. */
	ck_assert_str_eq(map.pairs[0].key, "s");
	ck_assert_str_eq(map.pairs[10].key, "\xc3\xa9t\xc3\xa9");
	ck_assert_int_eq(map.pairs[10].key_len, 5);
	linx_value_clear(&map);
}
END_TEST

/* linx_map_take moves a value back out: the tree is the one put in (no
 * copy), the key stays with nil, and misses and bad arguments say so. */
START_TEST(map_take)
{
	struct linx_value map = linx_value_map(), list = linx_value_list(), got;
	const struct linx_value *items;

	ck_assert_int_eq(linx_list_push_cstring(&list, "x"), 0);
	items = list.items;
	ck_assert_int_eq(linx_map_put(&map, "rs", &list), 0);
	ck_assert_int_eq(linx_map_put_int(&map, "n", 7), 0);
	ck_assert_int_eq(linx_map_take(&map, "rs", &got), 0);
	ck_assert_int_eq(got.type, LINX_LIST);
	ck_assert_ptr_eq(got.items, items);
	ck_assert_str_eq(got.items[0].str, "x");
	ck_assert_int_eq(linx_map_get(&map, "rs")->type, LINX_NIL);
	ck_assert_int_eq(linx_map_get(&map, "n")->i, 7);
	ck_assert_int_eq(map.len, 2);
	ck_assert_int_eq(linx_value_status(&map), 0);
	linx_value_clear(&got);

	got = linx_value_int(1);
	ck_assert_int_eq(linx_map_take(&map, "missing", &got), -ENOENT);
	ck_assert_int_eq(got.type, LINX_NIL);
	ck_assert_int_eq(linx_map_take(&map, NULL, &got), -EINVAL);
	ck_assert_int_eq(linx_map_take(NULL, "n", &got), -EINVAL);
	ck_assert_int_eq(linx_map_take(&map, "n", NULL), -EINVAL);
	list = linx_value_list();
	ck_assert_int_eq(linx_map_take(&list, "n", &got), -EINVAL);
	ck_assert_int_eq(got.type, LINX_NIL);
	linx_value_clear(&list);
	linx_value_clear(&map);
}
END_TEST

/* Putting an existing key replaces (and frees) the old value in place. */
START_TEST(map_replace)
{
	struct linx_value map = linx_value_map(), v;

	ck_assert_int_eq(linx_map_put_cstring(&map, "a", "first"), 0);
	ck_assert_int_eq(linx_map_put_int(&map, "b", 2), 0);
	v = linx_value_list();
	ck_assert_int_eq(linx_list_push_cstring(&v, "deep"), 0);
	ck_assert_int_eq(linx_map_put(&map, "a", &v), 0);
	ck_assert_int_eq(v.type, LINX_NIL);
	ck_assert_int_eq(map.len, 2);
	ck_assert_str_eq(map.pairs[0].key, "a"); /* position kept */
	ck_assert_int_eq(linx_map_get(&map, "a")->type, LINX_LIST);
	ck_assert_int_eq(linx_map_put_cstring(&map, "a", "third"), 0);
	ck_assert_str_eq(linx_map_get(&map, "a")->str, "third");
	ck_assert_int_eq(map.len, 2);
	linx_value_clear(&map);
}
END_TEST

START_TEST(map_bad_keys_poison)
{
	struct linx_value map = linx_value_map(), v = str("moved");

	/* Invalid key: the value is consumed and the map poisoned. */
	ck_assert_int_eq(linx_map_put(&map, "\xff", &v), -EINVAL);
	ck_assert_int_eq(v.type, LINX_NIL);
	ck_assert_int_eq(map.len, 0);
	ck_assert_int_eq(linx_value_status(&map), -EINVAL);
	ck_assert(map.flags & LINX_VALUE_F_POISON_INVAL);
	linx_value_clear(&map);

	map = linx_value_map();
	v = str("moved");
	ck_assert_int_eq(linx_map_put(&map, NULL, &v), -EINVAL);
	ck_assert_int_eq(v.type, LINX_NIL);
	ck_assert_int_eq(linx_value_status(&map), -EINVAL);
	linx_value_clear(&map);

	/* Invalid string value: poisons too. */
	map = linx_value_map();
	ck_assert_int_eq(linx_map_put_cstring(&map, "k", "\xed\xa0\x80"),
			 -EINVAL);
	ck_assert_int_eq(map.len, 0);
	ck_assert_int_eq(linx_value_status(&map), -EINVAL);
	linx_value_clear(&map);
	map = linx_value_map();
	ck_assert_int_eq(linx_map_put_string(&map, "k", "a\0b", 3), -EINVAL);
	ck_assert_int_eq(linx_value_status(&map), -EINVAL);
	linx_value_clear(&map);
	map = linx_value_map();
	ck_assert_int_eq(linx_map_put_bytes(&map, "k", NULL, 1), -EINVAL);
	ck_assert_int_eq(linx_value_status(&map), -EINVAL);
	linx_value_clear(&map);

	/* A list fed a bad string is poisoned as well. */
	map = linx_value_list();
	ck_assert_int_eq(linx_list_push_cstring(&map, "\xc1\xbf"), -EINVAL);
	ck_assert_int_eq(linx_list_push_cstring(&map, NULL), -EINVAL);
	ck_assert_int_eq(map.len, 0);
	ck_assert_int_eq(linx_value_status(&map), -EINVAL);
	linx_value_clear(&map);

	/* put on something that is not a map consumes the value. */
	map = linx_value_list();
	v = str("moved");
	ck_assert_int_eq(linx_map_put(&map, "k", &v), -EINVAL);
	ck_assert_int_eq(v.type, LINX_NIL);
	v = str("moved");
	ck_assert_int_eq(linx_map_put(NULL, "k", &v), -EINVAL);
	ck_assert_int_eq(v.type, LINX_NIL);
	ck_assert_int_eq(linx_map_put(&map, "k", NULL), -EINVAL);
	linx_value_clear(&map);
}
END_TEST

/* A child's poison follows it into its parent, at any depth. */
START_TEST(poison_propagates)
{
	struct linx_value root = linx_value_map(), mid = linx_value_list();
	struct linx_value leaf = linx_value_map();

	ck_assert_int_eq(linx_map_put_cstring(&leaf, "bad", "\xf8"), -EINVAL);
	ck_assert_int_eq(linx_list_push(&mid, &leaf), 0);
	ck_assert_int_eq(leaf.type, LINX_NIL);
	ck_assert(mid.flags & LINX_VALUE_F_POISON_INVAL);
	ck_assert_int_eq(linx_map_put(&root, "mid", &mid), 0);
	ck_assert(root.flags & LINX_VALUE_F_POISON_INVAL);
	ck_assert_int_eq(linx_value_status(&root), -EINVAL);
	/* The walk finds it even where flags were not propagated. */
	root.flags = 0;
	ck_assert_int_eq(linx_value_status(&root), -EINVAL);
	linx_value_clear(&root);

	/* ENOMEM dominates EINVAL. */
	root = linx_value_list();
	leaf = linx_value_list();
	leaf.flags |= LINX_VALUE_F_POISON_NOMEM;
	mid = linx_value_list();
	mid.flags |= LINX_VALUE_F_POISON_INVAL;
	ck_assert_int_eq(linx_list_push(&root, &mid), 0);
	ck_assert_int_eq(linx_list_push(&root, &leaf), 0);
	ck_assert_int_eq(linx_value_status(&root), -ENOMEM);
	root.flags = 0;
	root.items[1].flags = LINX_VALUE_F_POISON_NOMEM;
	ck_assert_int_eq(linx_value_status(&root), -ENOMEM);
	linx_value_clear(&root);

	/* Replacing a key with a poisoned value poisons the map. */
	root = linx_value_map();
	ck_assert_int_eq(linx_map_put_int(&root, "k", 1), 0);
	leaf = linx_value_list();
	leaf.flags |= LINX_VALUE_F_POISON_NOMEM;
	ck_assert_int_eq(linx_map_put(&root, "k", &leaf), 0);
	ck_assert_int_eq(linx_value_status(&root), -ENOMEM);
	linx_value_clear(&root);

	/* A node of an unknown type is reported, not trusted. */
	leaf = linx_value_nil();
	leaf.type = 42;
	ck_assert_int_eq(linx_value_status(&leaf), -EINVAL);
}
END_TEST

START_TEST(reserve)
{
	struct linx_value list = linx_value_list(), map = linx_value_map();
	struct linx_value i = linx_value_int(1);
	void *items;

	ck_assert_int_eq(linx_value_reserve(&list, 100), 0);
	ck_assert_uint_ge(list.cap, 100);
	ck_assert_int_eq(list.len, 0);
	items = list.items;
	for (int k = 0; k < 100; k++)
		ck_assert_int_eq(linx_list_push_int(&list, k), 0);
	ck_assert_ptr_eq(list.items, items); /* no reallocation */
	ck_assert_int_eq(linx_value_reserve(&list, 0), 0);
	ck_assert_int_eq(linx_value_reserve(&map, 3), 0);
	ck_assert_uint_ge(map.cap, 3);
	/* Not a container, or absurd sizes: refused without allocating. */
	ck_assert_int_eq(linx_value_reserve(&i, 1), -EINVAL);
	ck_assert_int_eq(linx_value_reserve(NULL, 1), -EINVAL);
	ck_assert_int_eq(linx_value_reserve(&map,
					    (size_t)LINX_VALUE_MAX_LEN + 1),
			 -E2BIG);
	linx_value_clear(&map);
	map = linx_value_map();
	ck_assert_int_eq(linx_map_put_int(&map, "a", 1), 0);
	/* len + n must not wrap around to a small number. */
	ck_assert_int_eq(linx_value_reserve(&map, SIZE_MAX), -E2BIG);
	ck_assert_int_lt(linx_value_status(&map), 0);
	linx_value_clear(&map);
	linx_value_clear(&list);
}
END_TEST

static struct linx_value sample_tree(void)
{
	struct linx_value root = linx_value_map(), list = linx_value_list();
	struct linx_value inner = linx_value_map();
	static const uint8_t raw[] = { 0, 0xff, 0x7f };

	ck_assert_int_eq(linx_map_put_int(&inner, "n", -1), 0);
	ck_assert_int_eq(linx_map_put_bytes(&inner, "raw", raw, 3), 0);
	ck_assert_int_eq(linx_list_push(&list, &inner), 0);
	ck_assert_int_eq(linx_list_push_cstring(&list, "two"), 0);
	ck_assert_int_eq(linx_list_push_uint(&list, UINT64_MAX), 0);
	inner = linx_value_list();
	ck_assert_int_eq(linx_list_push(&list, &inner), 0); /* empty list */
	inner = linx_value_map();
	ck_assert_int_eq(linx_list_push(&list, &inner), 0); /* empty map */
	ck_assert_int_eq(linx_map_put(&root, "list", &list), 0);
	ck_assert_int_eq(linx_map_put_bool(&root, "flag", false), 0);
	ck_assert_int_eq(linx_map_put_nil(&root, "nothing"), 0);
	ck_assert_int_eq(linx_map_put_cstring(&root, "s", ""), 0);
	return root;
}

/* The schema's keys are stored once, any other key is a copy of its own;
 * putting, copying, decoding and clearing treat both alike (under ASan,
 * a pooled key freed or a copied one leaked fails here). */
START_TEST(pooled_keys)
{
	static const char odd[] = "not-a-schema-key.0";
	struct linx_value a = linx_value_map(), b = linx_value_map(), c, d;
	struct linx_error err = { 0 };
	void *buf = NULL;
	size_t len = 0;
	char key[8];

	snprintf(key, sizeof(key), "%s", "name");
	ck_assert_int_eq(linx_map_put_cstring(&a, key, "x"), 0);
	ck_assert_int_eq(linx_map_put_cstring(&a, odd, "y"), 0);
	ck_assert_int_eq(linx_map_put_cstring(&b, "name", "x"), 0);
	ck_assert_int_eq(linx_map_put_cstring(&b, odd, "y"), 0);
	/* the same pooled string, not the caller's buffer */
	ck_assert_ptr_eq(a.pairs[0].key, b.pairs[0].key);
	ck_assert_ptr_ne(a.pairs[0].key, key);
	/* any other key: a copy per map */
	ck_assert_ptr_ne(a.pairs[1].key, b.pairs[1].key);
	ck_assert_str_eq(a.pairs[1].key, odd);
	ck_assert(linx_value_equal(&a, &b));
	ck_assert_int_eq(linx_value_copy(&c, &a), 0);
	ck_assert_ptr_eq(c.pairs[0].key, a.pairs[0].key);
	ck_assert_ptr_ne(c.pairs[1].key, a.pairs[1].key);
	ck_assert(linx_value_equal(&c, &b));
	ck_assert_int_eq(linx_value_encode(&c, &buf, &len, &err), 0);
	ck_assert_int_eq(linx_value_decode(buf, len, &d, &err), 0);
	ck_assert_ptr_eq(d.pairs[0].key, a.pairs[0].key);
	ck_assert_str_eq(d.pairs[1].key, odd);
	ck_assert(linx_value_equal(&d, &a));
	/* replacing a value keeps the key; the lookup finds either kind */
	ck_assert_int_eq(linx_map_put_cstring(&d, "name", "z"), 0);
	ck_assert_str_eq(linx_map_get(&d, "name")->str, "z");
	ck_assert_str_eq(linx_map_get(&d, odd)->str, "y");
	free(buf);
	linx_value_clear(&a);
	linx_value_clear(&b);
	linx_value_clear(&c);
	linx_value_clear(&d);
}
END_TEST

START_TEST(copy_and_equal)
{
	struct linx_value a = sample_tree(), b, c;

	ck_assert_int_eq(linx_value_copy(&b, &a), 0);
	ck_assert(linx_value_equal(&a, &b));
	ck_assert(linx_value_equal(&b, &a));
	/* Deep: the copy shares no writable memory with the original (a
	 * key is read-only; the schema's keys are shared, see pooled_keys). */
	ck_assert_ptr_ne(a.pairs, b.pairs);
	ck_assert_ptr_ne(a.pairs[0].value.items, b.pairs[0].value.items);
	b.pairs[0].value.items[0].pairs[0].value.i = 5;
	ck_assert(!linx_value_equal(&a, &b));
	linx_value_clear(&b);

	/* Map equality ignores order; everything else is exact. */
	b = linx_value_map();
	c = linx_value_map();
	ck_assert_int_eq(linx_map_put_int(&b, "x", 1), 0);
	ck_assert_int_eq(linx_map_put_int(&b, "y", 2), 0);
	ck_assert_int_eq(linx_map_put_int(&c, "y", 2), 0);
	ck_assert_int_eq(linx_map_put_int(&c, "x", 1), 0);
	ck_assert(linx_value_equal(&b, &c));
	ck_assert_int_eq(linx_map_put_int(&c, "z", 3), 0);
	ck_assert(!linx_value_equal(&b, &c));
	linx_value_clear(&b);
	linx_value_clear(&c);

	/* int 1 and uint 1 are the same number, as front-ends send either
	 * (docs/core/plugins.md); a negative int is no uint. String and
	 * bytes differ. */
	b = linx_value_int(1);
	c = linx_value_uint(1);
	ck_assert(linx_value_equal(&b, &c));
	ck_assert(linx_value_equal(&c, &b));
	b = linx_value_int(-1);
	c = linx_value_uint(UINT64_MAX);
	ck_assert(!linx_value_equal(&b, &c));
	ck_assert(!linx_value_equal(&c, &b));
	b = linx_value_list();
	c = linx_value_list();
	ck_assert_int_eq(linx_list_push_int(&b, 7), 0);
	ck_assert_int_eq(linx_list_push_uint(&c, 7), 0);
	ck_assert(linx_value_equal(&b, &c));
	linx_value_clear(&b);
	linx_value_clear(&c);
	ck_assert_int_eq(linx_value_cstring(&b, "ab"), 0);
	ck_assert_int_eq(linx_value_bytes(&c, "ab", 2), 0);
	ck_assert(!linx_value_equal(&b, &c));
	linx_value_clear(&c);
	ck_assert_int_eq(linx_value_cstring(&c, "ac"), 0);
	ck_assert(!linx_value_equal(&b, &c));
	linx_value_clear(&b);
	linx_value_clear(&c);

	/* Copying scalars and nil. */
	b = linx_value_uint(9);
	ck_assert_int_eq(linx_value_copy(&c, &b), 0);
	ck_assert(linx_value_equal(&b, &c));
	linx_value_clear(&a);
	ck_assert_int_eq(linx_value_copy(&c, &a), 0);
	ck_assert_int_eq(c.type, LINX_NIL);
	a.type = 99;
	ck_assert_int_eq(linx_value_copy(&c, &a), -EINVAL);
	ck_assert_int_eq(c.type, LINX_NIL);
	ck_assert(!linx_value_equal(&a, &a));
}
END_TEST

/* Equality of maps: same order, other order, partly shuffled, and keys
 * that sit at the same position but differ. */
START_TEST(equal_maps_any_order)
{
	struct linx_value a = linx_value_map(), b = linx_value_map();
	static const char *const order_a[] = { "k0", "k1", "k2", "k3", "k4" };
	static const char *const order_b[] = { "k0", "k3", "k2", "k1", "k4" };

	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(linx_map_put_cstring(&a, order_a[i],
						      order_a[i]),
				 0);
		ck_assert_int_eq(linx_map_put_cstring(&b, order_b[i],
						      order_b[i]),
				 0);
	}
	ck_assert(linx_value_equal(&a, &b));
	ck_assert(linx_value_equal(&b, &a));
	/* same keys, one value differs where the order differs */
	ck_assert_int_eq(linx_map_put_cstring(&b, "k3", "changed"), 0);
	ck_assert(!linx_value_equal(&a, &b));
	ck_assert(!linx_value_equal(&b, &a));
	linx_value_clear(&b);
	/* same length, a key at the same position renamed */
	b = linx_value_map();
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(linx_map_put_cstring(&b, i == 2 ? "kX"
								 : order_a[i],
						      order_a[i]),
				 0);
	ck_assert(!linx_value_equal(&a, &b));
	ck_assert(!linx_value_equal(&b, &a));
	linx_value_clear(&a);
	linx_value_clear(&b);

	/* Large maps in the same order compare in linear time (a decoded
	 * copy, a desired-vs-observed diff); 30000 keys would take seconds
	 * if every key were searched for. */
	{
		struct linx_value big = linx_value_map(), copy;
		struct linx_value *pairs_owner = &big;

		ck_assert_int_eq(linx_value_reserve(pairs_owner, 30000), 0);
		for (uint32_t i = 0; i < 30000; i++) {
			struct linx_pair *p = &big.pairs[big.len++];
			char key[16];
			int n = snprintf(key, sizeof(key), "key%u", i);

			/* built in place: linx_map_put() would search too */
			p->key = strdup(key);
			p->key_len = (uint32_t)n;
			p->reserved = 0;
			p->value = linx_value_uint(i);
		}
		ck_assert_int_eq(linx_value_copy(&copy, &big), 0);
		for (int round = 0; round < 20; round++)
			ck_assert(linx_value_equal(&big, &copy));
		copy.pairs[29999].value.u = 0;
		ck_assert(!linx_value_equal(&big, &copy));
		linx_value_clear(&copy);
		linx_value_clear(&big);
	}
}
END_TEST

/* A copy of an incomplete tree is just as incomplete. */
START_TEST(copy_keeps_poison)
{
	struct linx_value a = linx_value_map(), b, inner = linx_value_list();

	ck_assert_int_eq(linx_map_put_int(&a, "ok", 1), 0);
	ck_assert_int_eq(linx_map_put_cstring(&a, "bad", "\xff"), -EINVAL);
	ck_assert_int_eq(linx_value_copy(&b, &a), 0);
	ck_assert_int_eq(linx_value_status(&b), -EINVAL);
	linx_value_clear(&b);
	inner.flags |= LINX_VALUE_F_POISON_NOMEM;
	ck_assert_int_eq(linx_map_put(&a, "deep", &inner), 0);
	a.flags = 0; /* only the child knows */
	ck_assert_int_eq(linx_value_copy(&b, &a), 0);
	ck_assert_int_eq(linx_value_status(&b), -ENOMEM);
	linx_value_clear(&b);
	linx_value_clear(&a);
}
END_TEST

/* Clearing a wide and deep tree frees everything (checked by ASan/LSan). */
START_TEST(clear_nested)
{
	struct linx_value root = linx_value_list();

	for (int i = 0; i < 50; i++) {
		struct linx_value m = linx_value_map(), l = linx_value_list();
		char key[16];

		for (int k = 0; k < 20; k++) {
			snprintf(key, sizeof(key), "k%d", k);
			ck_assert_int_eq(linx_map_put_cstring(&m, key, key), 0);
			ck_assert_int_eq(linx_list_push_cstring(&l, key), 0);
		}
		ck_assert_int_eq(linx_map_put(&m, "list", &l), 0);
		ck_assert_int_eq(linx_list_push(&root, &m), 0);
	}
	/* and a chain as deep as a tree may go */
	{
		struct linx_value chain = linx_value_list();

		for (int d = 0; d < LINX_VALUE_MAX_DEPTH - 2; d++) {
			struct linx_value up = linx_value_list();

			ck_assert_int_eq(linx_list_push(&up, &chain), 0);
			chain = up;
		}
		ck_assert_int_eq(linx_list_push(&root, &chain), 0);
	}
	ck_assert_int_eq(linx_value_status(&root), 0);
	linx_value_clear(&root);
	ck_assert_int_eq(root.type, LINX_NIL);
	ck_assert_int_eq(root.len, 0);
}
END_TEST

/* Nest `levels` containers around an empty list, alternating maps and
 * lists; the result is levels + 1 deep. */
static struct linx_value nest(int levels)
{
	struct linx_value v = linx_value_list();

	for (int d = 0; d < levels; d++) {
		struct linx_value up = d % 2 ? linx_value_map() : linx_value_list();

		if (up.type == LINX_MAP)
			ck_assert_int_eq(linx_map_put(&up, "k", &v), 0);
		else
			ck_assert_int_eq(linx_list_push(&up, &v), 0);
		v = up;
	}
	return v;
}

/* Builders refuse to nest deeper than the codec would accept, so walking
 * any tree (clear, copy, equal, encode) is bounded: a million-deep chain
 * cannot be built, let alone overflow the stack. */
START_TEST(nesting_is_bounded)
{
	struct linx_value deepest = nest(LINX_VALUE_MAX_DEPTH - 1);
	struct linx_value v, list = linx_value_list(), map = linx_value_map();
	struct linx_value copy, back;
	void *buf;
	size_t len;

	/* As deep as allowed: encodes, decodes, copies. */
	ck_assert_int_eq(linx_value_status(&deepest), 0);
	ck_assert_int_eq(linx_value_encode(&deepest, &buf, &len, NULL), 0);
	ck_assert_int_eq(linx_value_decode(buf, len, &back, NULL), 0);
	free(buf);
	ck_assert(linx_value_equal(&deepest, &back));
	ck_assert_int_eq(linx_value_copy(&copy, &deepest), 0);
	/* One more level, by push or by put, through the original, the
	 * decoded tree (filled in place) or the copy: refused, moved, and
	 * the container poisoned. */
	ck_assert_int_eq(linx_list_push(&list, &deepest), -ELOOP);
	ck_assert_int_eq(deepest.type, LINX_NIL);
	ck_assert_int_eq(linx_value_status(&list), -ELOOP);
	ck_assert(list.flags & LINX_VALUE_F_POISON_DEEP);
	ck_assert_int_eq(linx_map_put(&map, "k", &back), -ELOOP);
	ck_assert_int_eq(back.type, LINX_NIL);
	ck_assert_int_eq(linx_value_status(&map), -ELOOP);
	/* The mark travels up, and the encoder refuses the tree. */
	v = linx_value_list();
	ck_assert_int_eq(linx_list_push(&v, &map), 0);
	ck_assert_int_eq(linx_value_status(&v), -ELOOP);
	ck_assert_int_eq(linx_value_encode(&v, &buf, &len, NULL), -EINVAL);
	linx_value_clear(&v);
	map = linx_value_map();
	linx_value_clear(&list);
	list = linx_value_list();
	ck_assert_int_eq(linx_list_push(&list, &copy), -ELOOP);
	linx_value_clear(&list);
	linx_value_clear(&map);
	/* One level less fits in a container. */
	list = linx_value_list();
	v = nest(LINX_VALUE_MAX_DEPTH - 2);
	ck_assert_int_eq(linx_list_push(&list, &v), 0);
	ck_assert_int_eq(linx_value_status(&list), 0);
	linx_value_clear(&list);
	/* linx_value_status() ranks what went wrong: out of memory, then too
	 * deep, then invalid. */
	v = linx_value_list();
	ck_assert_int_eq(linx_list_push_cstring(&v, "\xff"), -EINVAL);
	ck_assert_int_eq(linx_value_status(&v), -EINVAL);
	list = linx_value_list();
	list.flags |= LINX_VALUE_F_POISON_DEEP;
	ck_assert_int_eq(linx_list_push(&v, &list), 0);
	ck_assert_int_eq(linx_value_status(&v), -ELOOP);
	list = linx_value_list();
	list.flags |= LINX_VALUE_F_POISON_NOMEM;
	ck_assert_int_eq(linx_list_push(&v, &list), 0);
	ck_assert_int_eq(linx_value_status(&v), -ENOMEM);
	linx_value_clear(&v);
	/* Building upwards from a scalar stops at the same depth. */
	v = linx_value_int(1);
	for (int d = 1;; d++) {
		struct linx_value up = linx_value_list();
		int r = linx_list_push(&up, &v);

		if (r < 0) {
			ck_assert_int_eq(r, -ELOOP);
			ck_assert_int_eq(d, LINX_VALUE_MAX_DEPTH);
			linx_value_clear(&up);
			break;
		}
		v = up;
	}
}
END_TEST

/* ---- handles ------------------------------------------------------------ */

static int destroyed;
static void *destroyed_ptr;

static void count_destroy(void *p)
{
	destroyed++;
	destroyed_ptr = p;
}

static const struct linx_handle_type type_a = { "test.a", count_destroy };
static const struct linx_handle_type type_b = { "test.b", count_destroy };

START_TEST(handles)
{
	int payload;
	struct linx_handle *h = linx_handle_new(&type_a, &payload);
	struct linx_value v, copy, list = linx_value_list();

	destroyed = 0;
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_eq(linx_handle_get(h, &type_a), &payload);
	ck_assert_ptr_null(linx_handle_get(h, &type_b)); /* type checked */
	ck_assert_ptr_null(linx_handle_get(NULL, &type_a));
	ck_assert_ptr_eq(linx_handle_type_of(h), &type_a);
	ck_assert_ptr_null(linx_handle_type_of(NULL));

	v = linx_value_handle(h); /* +1 */
	ck_assert_int_eq(v.type, LINX_HANDLE);
	ck_assert_int_eq(linx_value_copy(&copy, &v), 0); /* +1 */
	ck_assert(linx_value_equal(&v, &copy));
	ck_assert_int_eq(linx_list_push(&list, &copy), 0); /* moved */
	ck_assert_ptr_eq(linx_handle_ref(h), h);	    /* +1 */
	linx_handle_unref(h);
	linx_handle_unref(h); /* the creator's reference */
	ck_assert_int_eq(destroyed, 0);
	linx_value_clear(&v);
	ck_assert_int_eq(destroyed, 0);
	linx_value_clear(&list); /* the last one */
	ck_assert_int_eq(destroyed, 1);
	ck_assert_ptr_eq(destroyed_ptr, &payload);

	/* Two handles to the same pointer are different values. */
	{
		struct linx_handle *x = linx_handle_new(&type_a, &payload);
		struct linx_handle *y = linx_handle_new(&type_a, &payload);
		struct linx_value vx = linx_value_handle(x);
		struct linx_value vy = linx_value_handle(y);

		ck_assert(!linx_value_equal(&vx, &vy));
		linx_value_clear(&vx);
		linx_value_clear(&vy);
		linx_handle_unref(x);
		linx_handle_unref(y);
		ck_assert_int_eq(destroyed, 3);
	}

	/* Refusals and NULLs. */
	ck_assert_ptr_null(linx_handle_new(NULL, &payload));
	{
		static const struct linx_handle_type no_destroy = { "x", NULL };

		ck_assert_ptr_null(linx_handle_new(&no_destroy, &payload));
	}
	ck_assert_ptr_null(linx_handle_ref(NULL));
	linx_handle_unref(NULL);
	v = linx_value_handle(NULL);
	ck_assert_int_eq(v.type, LINX_NIL);
}
END_TEST

/* Concurrent ref/unref from several threads: destroy runs exactly once. */

static void *ref_churn(void *p)
{
	struct linx_handle *h = p;

	for (int i = 0; i < 100000; i++) {
		linx_handle_ref(h);
		linx_handle_unref(h);
	}
	linx_handle_unref(h);
	return NULL;
}

START_TEST(handles_threads)
{
	struct linx_handle *h = linx_handle_new(&type_a, NULL);
	pthread_t t[4];

	destroyed = 0;
	for (int i = 0; i < 4; i++) {
		linx_handle_ref(h);
		ck_assert_int_eq(pthread_create(&t[i], NULL, ref_churn, h), 0);
	}
	linx_handle_unref(h);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	ck_assert_int_eq(destroyed, 1);
}
END_TEST

/* ---- UTF-8 -------------------------------------------------------------- */

static const struct {
	const char *bytes;
	size_t len;
	bool valid;
	const char *what;
} utf8_cases[] = {
#define C(s, v, w) { s, sizeof(s) - 1, v, w }
	C("", true, "empty"),
	C("plain ascii ~\x7f", true, "ASCII incl. DEL"),
	C("\x01", true, "U+0001"),
	C("\xc2\x80", true, "U+0080, smallest 2-byte"),
	C("\xc3\xa9", true, "e acute"),
	C("\xdf\xbf", true, "U+07FF, largest 2-byte"),
	C("\xe0\xa0\x80", true, "U+0800, smallest 3-byte"),
	C("\xe2\x82\xac", true, "euro sign"),
	C("\xed\x9f\xbf", true, "U+D7FF, before the surrogates"),
	C("\xee\x80\x80", true, "U+E000, after the surrogates"),
	C("\xef\xbf\xbd", true, "U+FFFD"),
	C("\xef\xbf\xbf", true, "U+FFFF (noncharacter, still valid)"),
	C("\xf0\x90\x80\x80", true, "U+10000, smallest 4-byte"),
	C("\xf0\x9f\x98\x80", true, "emoji"),
	C("\xf4\x8f\xbf\xbf", true, "U+10FFFF, the largest"),
	C("a\xc3\xa9z\xf0\x9f\x98\x80!", true, "mixed"),

	C("\0", false, "NUL alone"),
	C("ab\0cd", false, "NUL inside"),
	C("\xc0\x80", false, "overlong NUL"),
	C("\xc0\xaf", false, "overlong '/' (2 bytes)"),
	C("\xc1\xbf", false, "overlong U+007F"),
	C("\xe0\x80\xaf", false, "overlong '/' (3 bytes)"),
	C("\xe0\x9f\xbf", false, "overlong U+07FF"),
	C("\xf0\x80\x80\xaf", false, "overlong '/' (4 bytes)"),
	C("\xf0\x8f\xbf\xbf", false, "overlong U+FFFF"),
	C("\xed\xa0\x80", false, "U+D800 high surrogate"),
	C("\xed\xaf\xbf", false, "U+DBFF"),
	C("\xed\xb0\x80", false, "U+DC00 low surrogate"),
	C("\xed\xbf\xbf", false, "U+DFFF"),
	C("\xed\xa0\xbd\xed\xb8\x80", false, "CESU-8 surrogate pair"),
	C("\xf4\x90\x80\x80", false, "U+110000"),
	C("\xf7\xbf\xbf\xbf", false, "U+1FFFFF"),
	C("\xf8\x88\x80\x80\x80", false, "5-byte form"),
	C("\xfc\x84\x80\x80\x80\x80", false, "6-byte form"),
	C("\xfe", false, "0xFE"),
	C("\xff", false, "0xFF"),
	C("\x80", false, "lone continuation"),
	C("\xbf", false, "lone continuation 0xBF"),
	C("a\x80", false, "continuation after ASCII"),
	C("\xc3", false, "truncated 2-byte"),
	C("\xe2\x82", false, "truncated 3-byte"),
	C("\xe2", false, "truncated 3-byte (lead only)"),
	C("\xf0\x9f\x98", false, "truncated 4-byte"),
	C("\xf0", false, "truncated 4-byte (lead only)"),
	C("\xc3\x28", false, "bad continuation"),
	C("\xe2\x28\xa1", false, "bad 2nd byte of 3"),
	C("\xe2\x82\x28", false, "bad 3rd byte of 3"),
	C("\xf0\x28\x8c\xbc", false, "bad 2nd byte of 4"),
	C("\xf0\x9f\x98\x28", false, "bad 4th byte of 4"),
	C("\xc3\xa9\xc3", false, "valid then truncated"),
#undef C
};

START_TEST(utf8_table)
{
	for (size_t i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]);
	     i++) {
		const char *b = utf8_cases[i].bytes;
		size_t n = utf8_cases[i].len;
		struct linx_value v;
		int r;

		ck_assert_msg(linx_utf8_valid(b, n) == utf8_cases[i].valid,
			      "utf8 case \"%s\": expected %s",
			      utf8_cases[i].what,
			      utf8_cases[i].valid ? "valid" : "invalid");
		/* The string builder applies the same rule. */
		r = linx_value_string(&v, b, n);
		ck_assert_int_eq(r, utf8_cases[i].valid ? 0 : -EINVAL);
		linx_value_clear(&v);
		/* Validation never reads past len: the case cut short by
		 * one byte is checked on an exact-size heap copy. */
		if (n > 0) {
			char *copy = malloc(n);

			memcpy(copy, b, n);
			(void)linx_utf8_valid(copy, n);
			free(copy);
		}
	}
	ck_assert(linx_utf8_valid(NULL, 0));
	ck_assert(!linx_utf8_valid(NULL, 1));
}
END_TEST

/* Exhaustive over every code point: encode with our own encoder, and the
 * validator must accept exactly the scalar values. */
static size_t encode_cp(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Runs of ASCII are checked eight bytes at a time: a NUL, a stray byte or
 * a valid sequence at any offset of a longer string, and at its end. */
START_TEST(utf8_long_ascii_runs)
{
	char buf[40];

	for (size_t n = 0; n <= 33; n++) {
		memset(buf, 'a', sizeof(buf));
		ck_assert(linx_utf8_valid(buf, n));
		for (size_t at = 0; at < n; at++) {
			memset(buf, 'a', sizeof(buf));
			buf[at] = '\0';
			ck_assert_msg(!linx_utf8_valid(buf, n),
				      "NUL at %zu of %zu", at, n);
			buf[at] = '\x80';
			ck_assert_msg(!linx_utf8_valid(buf, n),
				      "0x80 at %zu of %zu", at, n);
			buf[at] = '\x7f';
			ck_assert(linx_utf8_valid(buf, n));
			if (at + 1 < n) {
				buf[at] = '\xc3';
				buf[at + 1] = '\xa9';
				ck_assert_msg(linx_utf8_valid(buf, n),
					      "U+00E9 at %zu of %zu", at, n);
				ck_assert(!linx_utf8_valid(buf, at + 1));
			}
		}
	}
}
END_TEST

START_TEST(utf8_every_code_point)
{
	char buf[4];

	for (uint32_t cp = 0; cp < 0x140000; cp++) {
		size_t n = encode_cp(cp, buf);
		bool expect = cp != 0 && cp <= 0x10ffff &&
			      !(cp >= 0xd800 && cp <= 0xdfff);

		if (linx_utf8_valid(buf, n) != expect)
			ck_abort_msg("U+%04X: expected %s", cp,
				     expect ? "valid" : "invalid");
		/* Every strict prefix of a multi-byte form is truncated. */
		for (size_t k = 1; k < n; k++)
			if (linx_utf8_valid(buf, k))
				ck_abort_msg("U+%04X cut to %zu bytes accepted",
					     cp, k);
	}
}
END_TEST

/* Large maps: built with linx_map_put() they keep a key index, which must
 * stay right through replaces, growth, pairs appended in place (as the
 * decoder and the Elixir NIF do), copies and decoding. */
static void key_name(char *buf, size_t cap, unsigned i)
{
	snprintf(buf, cap, "key-%u", i);
}

static void check_all_keys(const struct linx_value *m, unsigned n,
			   int64_t bias)
{
	char key[32];

	ck_assert_uint_eq(m->len, n);
	for (unsigned i = 0; i < n; i++) {
		const struct linx_value *v;

		key_name(key, sizeof(key), i);
		v = linx_map_get(m, key);
		ck_assert_msg(v && v->type == LINX_INT &&
				      v->i == (int64_t)i + bias,
			      "%s", key);
	}
	ck_assert_ptr_null(linx_map_get(m, "key-absent"));
}

START_TEST(large_map_index)
{
	enum { N = 50000 };
	struct linx_value m = linx_value_map(), copy, decoded;
	char key[32];
	void *buf;
	size_t len;

	for (unsigned i = 0; i < N; i++) {
		key_name(key, sizeof(key), i);
		ck_assert_int_eq(linx_map_put_int(&m, key, i), 0);
	}
	check_all_keys(&m, N, 0);
	/* Replacing keeps one pair per key. */
	for (unsigned i = 0; i < N; i++) {
		key_name(key, sizeof(key), i);
		ck_assert_int_eq(linx_map_put_int(&m, key, (int64_t)i + 1), 0);
	}
	check_all_keys(&m, N, 1);

	ck_assert_int_eq(linx_value_copy(&copy, &m), 0);
	check_all_keys(&copy, N, 1);
	ck_assert(linx_value_equal(&copy, &m));
	linx_value_clear(&copy);

	ck_assert_int_eq(linx_value_encode(&m, &buf, &len, NULL), 0);
	ck_assert_int_eq(linx_value_decode(buf, len, &decoded, NULL), 0);
	check_all_keys(&decoded, N, 1);
	free(buf);
	linx_value_clear(&decoded);
	linx_value_clear(&m);
}
END_TEST

START_TEST(map_appended_in_place)
{
	struct linx_value m = linx_value_map();
	char key[32];

	/* Append 100 pairs the way the decoder does: reserve, then fill. */
	ck_assert_int_eq(linx_value_reserve(&m, 100), 0);
	for (unsigned i = 0; i < 100; i++) {
		struct linx_pair *p = &m.pairs[m.len];

		key_name(key, sizeof(key), i);
		p->key = strdup(key);
		p->key_len = (uint32_t)strlen(key);
		p->reserved = 0;
		p->value = linx_value_int(i);
		m.len++;
	}
	check_all_keys(&m, 100, 0);
	/* A put after that finds the existing key, and adds a new one. */
	ck_assert_int_eq(linx_map_put_int(&m, "key-7", 1007), 0);
	ck_assert_uint_eq(m.len, 100);
	ck_assert_int_eq(linx_map_get(&m, "key-7")->i, 1007);
	ck_assert_int_eq(linx_map_put_int(&m, "key-100", 100), 0);
	ck_assert_uint_eq(m.len, 101);
	for (unsigned i = 0; i <= 100; i++) {
		key_name(key, sizeof(key), i);
		ck_assert_ptr_nonnull(linx_map_get(&m, key));
	}
	linx_value_clear(&m);
}
END_TEST

/* linx_map_put_many: every value moved in or freed, the first error
 * returned and the map poisoned (leaks show under ASan). */
START_TEST(map_put_many)
{
	struct linx_value m = linx_value_map(), s = linx_value_nil();
	struct linx_map_entry e[3] = {
		{ "a", linx_value_int(-1) },
		{ "b", linx_value_nil() },
		{ "c", linx_value_uint(3) },
	};

	ck_assert_int_eq(linx_value_cstring(&e[1].value, "two"), 0);
	ck_assert_int_eq(linx_map_put_many(&m, e, 3), 0);
	ck_assert_uint_eq(m.len, 3);
	ck_assert_str_eq(linx_map_get(&m, "b")->str, "two");
	ck_assert_int_eq(e[1].value.type, LINX_NIL);
	ck_assert_int_eq(linx_value_status(&m), 0);
	/* A bad key in the middle: the rest still moved or freed. */
	ck_assert_int_eq(linx_value_cstring(&s, "x"), 0);
	e[0] = (struct linx_map_entry){ "d", s };
	e[1] = (struct linx_map_entry){ NULL, linx_value_int(1) };
	ck_assert_int_eq(linx_value_cstring(&e[2].value, "y"), 0);
	e[2].key = "e";
	ck_assert_int_eq(linx_map_put_many(&m, e, 3), -EINVAL);
	ck_assert_int_eq(linx_value_status(&m), -EINVAL);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(e[i].value.type, LINX_NIL);
	linx_value_clear(&m);
	/* Not a map: values freed all the same. */
	ck_assert_int_eq(linx_value_cstring(&e[0].value, "z"), 0);
	ck_assert_int_eq(linx_map_put_many(&s, e, 1), -EINVAL);
	ck_assert_int_eq(e[0].value.type, LINX_NIL);
	ck_assert_int_eq(linx_map_put_many(&m, NULL, 0), -EINVAL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("value");
	TCase *tc = tcase_create("value");

	tcase_add_test(tc, scalars);
	tcase_add_test(tc, strings_and_bytes);
	tcase_add_test(tc, null_outputs);
	tcase_add_test(tc, list_push_moves);
	tcase_add_test(tc, list_push_failure_moves);
	tcase_add_test(tc, map_take);
	tcase_add_test(tc, push_into_itself);
	tcase_add_test(tc, map_put_and_get);
	tcase_add_test(tc, map_replace);
	tcase_add_test(tc, map_bad_keys_poison);
	tcase_add_test(tc, poison_propagates);
	tcase_add_test(tc, reserve);
	tcase_add_test(tc, copy_and_equal);
	tcase_add_test(tc, pooled_keys);
	tcase_add_test(tc, copy_keeps_poison);
	tcase_add_test(tc, equal_maps_any_order);
	tcase_add_test(tc, clear_nested);
	tcase_add_test(tc, nesting_is_bounded);
	tcase_add_test(tc, handles);
	tcase_add_test(tc, handles_threads);
	tcase_add_test(tc, utf8_table);
	tcase_add_test(tc, utf8_long_ascii_runs);
	tcase_add_test(tc, utf8_every_code_point);
	tcase_add_test(tc, large_map_index);
	tcase_add_test(tc, map_appended_in_place);
	tcase_add_test(tc, map_put_many);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return linx_test_run_suite(suite());
}
