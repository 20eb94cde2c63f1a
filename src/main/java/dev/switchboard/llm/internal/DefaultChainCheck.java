package dev.switchboard.llm.internal;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.switchboard.llm.LlmRouter;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.internal.provider.ProviderDirectory;

/**
 * Refuses to start when {@code switchboard.llm.default-chain} names a provider that is not configured: a
 * typo there would otherwise show only as every request failing over.
 */
@Component
class DefaultChainCheck {

    DefaultChainCheck(LlmRouter router, ProviderDirectory providers) {
        List<String> unknown = router.defaultChain().targets().stream()
                .filter(target -> !target.equals(Target.LOCAL_EXTRACTIVE))
                .map(Target::providerId)
                .filter(id -> !providers.isConfigured(id))
                .distinct()
                .toList();
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("switchboard.llm.default-chain names provider(s) " + unknown + " that are not "
                    + "configured; configure them under switchboard.llm.providers.<id> or remove them from the chain. "
                    + "Configured: " + providers.configured().keySet());
        }
    }
}
