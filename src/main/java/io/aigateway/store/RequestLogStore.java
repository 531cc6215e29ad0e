package io.aigateway.store;

import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.WrapperOptions;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The request log's table: batched inserts, the retention purge, and the admin API's queries and statistics. */
public final class RequestLogStore {
    /** What statistics may be grouped by, and the columns that make the group. */
    private static final Map<String, String> GROUPS = Map.of("tenant", "r.tenant", "key", "r.tenant, r.keyId",
            "model", "r.model", "backend", "r.backend");

    private static final String INSERT = "INSERT INTO request_log (request_id, started_at, tenant, key_id, client_ip,"
            + " endpoint, operation, model, backend, deployment, attempts, failures, status, error_code, latency_ms,"
            + " first_byte_ms, prompt_tokens, completion_tokens, cached_tokens, tokens_estimated, cost, stream,"
            + " cancelled, request_body, response_body, bodies_truncated)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Store store;
    private final ValueBinder<Instant> startedBinder;
    private final WrapperOptions bindOptions;

    @SuppressWarnings("unchecked")
    public RequestLogStore(Store store) {
        this.store = store;
        SessionFactoryImplementor factory = store.sessions().unwrap(SessionFactoryImplementor.class);
        this.startedBinder = (ValueBinder<Instant>)factory.getMappingMetamodel().getEntityDescriptor(RequestLogRow.class)
                .findAttributeMapping("started").getSingleJdbcMapping().getJdbcValueBinder();
        this.bindOptions = factory.getWrapperOptions();
    }

    /**
     * Inserts rows in one transaction as one JDBC batch. Plain JDBC rather than {@code session.insert}: the table's
     * identity key makes Hibernate insert row by row, each with a round trip to fetch the generated key, which the
     * request log never needs. The start time is bound by Hibernate's own binder for the column, since how an
     * instant is stored differs by database and Hibernate reads it back.
     */
    public void insert(List<RequestLogRow> rows) {
        try (StatelessSession session = store.sessions().openStatelessSession()) {
            var tx = session.beginTransaction();
            try {
                session.doWork(connection -> {
                    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                        for (RequestLogRow row : rows) {
                            bind(insert, row);
                            insert.addBatch();
                        }
                        insert.executeBatch();
                    }
                });
                tx.commit();
            } catch (RuntimeException x) {
                tx.rollback();
                throw x;
            }
        }
    }

    private void bind(PreparedStatement insert, RequestLogRow row) throws SQLException {
        int i = 0;
        insert.setString(++i, row.requestId());
        startedBinder.bind(insert, row.started(), ++i, bindOptions);
        insert.setString(++i, row.tenant());
        insert.setString(++i, row.keyId());
        insert.setString(++i, row.clientIp());
        insert.setString(++i, row.endpoint());
        insert.setString(++i, row.operation());
        insert.setString(++i, row.model());
        insert.setString(++i, row.backend());
        insert.setString(++i, row.deployment());
        insert.setInt(++i, row.attempts());
        insert.setString(++i, row.failures());
        insert.setInt(++i, row.status());
        insert.setString(++i, row.errorCode());
        insert.setLong(++i, row.latencyMs());
        setLong(insert, ++i, row.firstByteMs());
        setLong(insert, ++i, row.promptTokens());
        setLong(insert, ++i, row.completionTokens());
        setLong(insert, ++i, row.cachedTokens());
        setBoolean(insert, ++i, row.tokensEstimated());
        insert.setBigDecimal(++i, row.cost());
        insert.setBoolean(++i, row.stream());
        insert.setBoolean(++i, row.cancelled());
        insert.setString(++i, row.requestBody());
        insert.setString(++i, row.responseBody());
        setBoolean(insert, ++i, row.bodiesTruncated());
    }

    private static void setLong(PreparedStatement insert, int index, Long value) throws SQLException {
        if (value == null) {
            insert.setNull(index, Types.BIGINT);
        } else {
            insert.setLong(index, value);
        }
    }

    private static void setBoolean(PreparedStatement insert, int index, Boolean value) throws SQLException {
        if (value == null) {
            insert.setNull(index, Types.BOOLEAN);
        } else {
            insert.setBoolean(index, value);
        }
    }

    /** Deletes rows of requests that started before the instant; returns how many. */
    public int purgeBefore(Instant cutoff) {
        return store.sessions().fromTransaction(session -> session.createMutationQuery(
                "delete from RequestLogRow where started < :cutoff").setParameter("cutoff", cutoff).executeUpdate());
    }

    /**
     * Filters of a request log query; null means any.
     *
     * @param before the cursor: only rows with a smaller id (the {@code next} of the previous page)
     */
    public record Query(String tenant, String model, String backend, Integer status, Instant from, Instant to,
            Long before, int limit) {
    }

    /** Matching rows, newest first. */
    public List<RequestLogRow> query(Query q) {
        return store.sessions().fromTransaction(session -> session.createSelectionQuery("from RequestLogRow r where"
                        + " (:tenant is null or r.tenant = :tenant) and (:model is null or r.model = :model)"
                        + " and (:backend is null or r.backend = :backend) and (:status is null or r.status = :status)"
                        + " and (:from is null or r.started >= :from) and (:to is null or r.started < :to)"
                        + " and (:before is null or r.id < :before) order by r.id desc", RequestLogRow.class)
                .setParameter("tenant", q.tenant()).setParameter("model", q.model())
                .setParameter("backend", q.backend()).setParameter("status", q.status())
                .setParameter("from", q.from()).setParameter("to", q.to()).setParameter("before", q.before())
                .setMaxResults(q.limit()).getResultList());
    }

    /**
     * Totals of one group.
     *
     * @param key              the group: a tenant, model or backend name, or {@code tenant/keyId}
     * @param promptTokens     prompt tokens, where known (backend usage, or estimated)
     * @param completionTokens completion tokens, where known
     * @param cachedTokens     cached prompt tokens (a part of the prompt tokens), where known
     * @param cost             cost by {@code prices}; null when no request of the group had a price
     * @param errors           requests answered with a status of 400 or more
     */
    public record Stats(String key, long requests, long promptTokens, long completionTokens, long cachedTokens,
            BigDecimal cost, long errors) {

        /** Prompt plus completion tokens. */
        public long tokens() {
            return promptTokens + completionTokens;
        }
    }

    public static boolean canGroupBy(String groupBy) {
        return GROUPS.containsKey(groupBy);
    }

    /** Totals per group over {@code [from, to)}, largest first. */
    public List<Stats> stats(Instant from, Instant to, String groupBy) {
        String group = GROUPS.get(groupBy);
        if (group == null) {
            throw new IllegalArgumentException("cannot group by " + groupBy);
        }
        String hql = "select " + group + ", count(r), sum(coalesce(r.promptTokens, 0)),"
                + " sum(coalesce(r.completionTokens, 0)), sum(coalesce(r.cachedTokens, 0)),"
                + " sum(r.cost), sum(case when r.status >= 400 then 1 else 0 end) from RequestLogRow r"
                + " where r.started >= :from and r.started < :to group by " + group + " order by count(r) desc";
        boolean byKey = groupBy.equals("key");
        return store.sessions().fromTransaction(session -> {
            List<Stats> stats = new ArrayList<>();
            for (Object[] row : session.createSelectionQuery(hql, Object[].class).setParameter("from", from)
                    .setParameter("to", to).getResultList()) {
                int i = byKey ? 2 : 1;
                String key = byKey ? row[0] + "/" + row[1] : (String)row[0];
                stats.add(new Stats(key, ((Number)row[i]).longValue(), number(row[i + 1]), number(row[i + 2]),
                        number(row[i + 3]), (BigDecimal)row[i + 4], number(row[i + 5])));
            }
            return stats;
        });
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number)value).longValue();
    }
}
