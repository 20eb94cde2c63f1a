package dev.switchboard.sql.internal.guard;

import java.util.Locale;
import java.util.Set;

import dev.switchboard.sql.internal.DatabaseKind;

/**
 * The functions a guarded query may call, per dialect: an allow-list, so a function the list does not name —
 * {@code pg_sleep}, {@code pg_read_file}, {@code lo_import}, {@code dblink}, {@code nextval}, {@code setval},
 * {@code set_config}, {@code current_setting}, {@code load_file}, {@code sleep}, {@code benchmark},
 * {@code get_lock}, {@code query_to_xml}, {@code xmlexists}, and whatever a new server version adds — is
 * refused. Each listed function only computes from its arguments: no side effects, no reads outside the query's
 * tables, no session or server state, no unbounded output from a small input ({@code repeat}, {@code lpad},
 * {@code generate_series} are left out for that reason: a model-chosen count could make gigabytes that only
 * the timeout would stop).
 */
final class SafeFunctions {

    /** Aggregates, window functions and scalar functions both dialects share. */
    private static final Set<String> COMMON = Set.of("count", "sum", "avg", "min", "max", "abs", "ceil", "ceiling",
            "floor", "round", "sign", "sqrt", "power", "exp", "ln", "log", "log10", "mod", "greatest", "least", "pi",
            "degrees", "radians", "lower", "upper", "length", "char_length", "character_length", "octet_length",
            "substring", "substr", "trim", "ltrim", "rtrim", "replace", "concat", "concat_ws", "left", "right",
            "reverse", "position", "coalesce", "nullif", "now", "current_date", "current_timestamp", "extract",
            "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
            "last_value", "nth_value", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp",
            "bit_and", "bit_or", "bit_xor", "md5", "ascii");

    private static final Set<String> POSTGRESQL = Set.of("string_agg", "array_agg", "bool_and", "bool_or", "every",
            "percentile_cont", "percentile_disc", "mode", "corr", "covar_pop", "covar_samp", "regr_slope",
            "regr_intercept", "cbrt", "trunc", "div", "width_bucket", "btrim", "initcap", "split_part", "strpos",
            "starts_with", "translate", "to_char", "to_number", "to_date", "to_timestamp", "regexp_replace",
            "regexp_match", "regexp_like", "date_trunc", "date_part", "date_bin", "age", "make_date",
            "make_timestamp", "make_interval", "justify_days", "justify_hours", "justify_interval", "isfinite",
            "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array", "json_agg",
            "jsonb_agg", "json_object_agg", "jsonb_object_agg", "to_json", "to_jsonb", "json_extract_path_text",
            "jsonb_extract_path_text", "jsonb_typeof", "json_typeof", "array_length", "cardinality",
            "array_position", "array_to_string", "unnest", "format", "quote_literal", "chr", "num_nonnulls",
            "num_nulls", "scale", "gcd", "lcm", "factorial", "random", "localtimestamp", "localtime", "current_time");

    private static final Set<String> MYSQL = Set.of("group_concat", "std", "truncate", "log2", "pow", "lcase",
            "ucase", "locate", "instr", "mid", "field", "find_in_set", "elt", "char", "hex", "strcmp", "ifnull",
            "if", "isnull", "date", "time", "year", "month", "monthname", "day", "dayofmonth", "dayofweek",
            "dayofyear", "dayname", "hour", "minute", "second", "week", "weekday", "weekofyear", "yearweek",
            "quarter", "curdate", "curtime", "current_time", "date_format", "time_format", "date_add", "date_sub",
            "adddate", "subdate", "datediff", "timediff", "timestampdiff", "timestampadd", "str_to_date", "last_day",
            "makedate", "from_days", "to_days", "unix_timestamp", "from_unixtime", "format",
            "json_extract", "json_unquote", "json_object", "json_array", "json_arrayagg", "json_objectagg",
            "json_length", "json_contains", "rand", "utc_date", "utc_timestamp", "regexp_replace", "regexp_substr",
            "regexp_instr", "regexp_like");

    private SafeFunctions() {
    }

    /** Whether an unqualified function of this name may be called in the dialect. */
    static boolean allowed(String name, DatabaseKind kind) {
        String lower = name.toLowerCase(Locale.ROOT);
        return COMMON.contains(lower) || (kind.mysqlFamily() ? MYSQL : POSTGRESQL).contains(lower);
    }

}
