package dev.switchboard.llm.internal.provider;

import java.io.IOException;

import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * Sends the Anthropic SDK's requests through Switchboard's checked OkHttp client instead of the one Spring AI
 * builds (which resolves names unchecked and follows redirects, and offers no way to change either). As the
 * first application interceptor it answers every request itself, so the SDK's own client never connects.
 */
final class CheckedTransportInterceptor implements Interceptor {

    private final OkHttpClient checked;

    CheckedTransportInterceptor(OkHttpClient checked) {
        this.checked = checked;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        return checked.newCall(chain.request()).execute();
    }
}
