package dev.switchboard.knowledge.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.knowledge.KnowledgeBase;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.tenancy.TenantContext;

/** The current tenant's knowledge bases. */
@Service
public class KnowledgeBases {

    private final JdbcClient jdbc;

    KnowledgeBases(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public KnowledgeBase create(String name, String description) {
        String cleanName = name == null ? "" : name.strip();
        String cleanDescription = description == null ? "" : description.strip();
        if (cleanName.isEmpty() || cleanName.length() > 100) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", "name: 1-100 characters.");
        }
        if (cleanDescription.length() > 2000) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", "description: at most 2000 characters.");
        }
        try {
            return jdbc.sql("insert into knowledge_bases (tenant_id, name, description) values (:tenant, :name, :description) returning *")
                    .param("tenant", TenantContext.require()).param("name", cleanName).param("description", cleanDescription)
                    .query(KnowledgeBases::base).single();
        }
        catch (DuplicateKeyException ex) {
            throw new SwitchboardException(HttpStatus.CONFLICT, "name-taken", "There is already a knowledge base called '"
                    + cleanName + "'.");
        }
    }

    @Transactional(readOnly = true)
    public List<KnowledgeBase> list() {
        return jdbc.sql("select * from knowledge_bases order by lower(name)").query(KnowledgeBases::base).list();
    }

    @Transactional(readOnly = true)
    public Optional<KnowledgeBase> find(UUID id) {
        return jdbc.sql("select * from knowledge_bases where id = :id").param("id", id).query(KnowledgeBases::base).optional();
    }

    @Transactional(readOnly = true)
    public KnowledgeBase require(UUID id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    /** The answer to a request naming a knowledge base the tenant does not have. */
    public static SwitchboardException notFound(UUID id) {
        return new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no knowledge base " + id + ".");
    }

    private static KnowledgeBase base(ResultSet rs, int row) throws SQLException {
        return new KnowledgeBase(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("description"),
                rs.getTimestamp("created_at").toInstant());
    }
}
