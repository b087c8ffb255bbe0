package com.triageassistant.backup;

import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/snapshots} for operators: GET lists this node's snapshots, POST takes one now. A snapshot that
 * cannot be taken answers 409 when another snapshot operation is under way (try again later), 500 otherwise, with
 * Ignite's reason in {@code error}.
 */
@Component
@Endpoint(id = "snapshots")
class SnapshotsEndpoint {

    private final Snapshots snapshots;

    SnapshotsEndpoint(Snapshots snapshots) {
        this.snapshots = snapshots;
    }

    @ReadOperation
    public List<SnapshotSummary> list() {
        return snapshots.list();
    }

    @WriteOperation
    public WebEndpointResponse<Object> take() {
        try {
            return new WebEndpointResponse<>(snapshots.take(), WebEndpointResponse.STATUS_OK);
        } catch (SnapshotFailedException e) {
            int status = e.rejected() ? 409 : WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR;
            return new WebEndpointResponse<>(Map.of("error", e.getMessage()), status);
        }
    }
}
