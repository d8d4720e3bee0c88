import Cache
import Foundation
import Logging
import NIOCore
import Storage

/// The housekeeping every deployment needs, each run once per period across
/// instances (`JobRunner`).
enum MaintenanceJobs {
    static func all(
        cache: TieredCache<ByteBuffer>, locations: LocationRepository, locationSettings: LocationSettings, server: ServerSettings, logger: Logger
    ) -> [MaintenanceJob] {
        [
            cache.cleanupJob(logger: logger),
            MaintenanceJob("wayline.partitions_ahead", every: .seconds(3_600)) { client in
                ["created": try await PlatformMaintenance.ensurePartitions(client)]
            },
            MaintenanceJob("wayline.partitions_archive", every: .seconds(86_400)) { client in
                ["detached": try await PlatformMaintenance.detachPartitions(client, olderThanDays: Int(server.partitionRetention.components.seconds / 86_400))]
            },
            MaintenanceJob("wayline.routes_expired", every: .seconds(600)) { client in
                ["deleted": try await PlatformMaintenance.deleteExpiredRoutes(client)]
            },
            MaintenanceJob("wayline.whatsapp_sessions_expired", every: .seconds(3_600)) { client in
                ["deleted": try await PlatformMaintenance.cleanupWhatsAppSessions(client)]
            },
            MaintenanceJob("wayline.performance_data_expired", every: .seconds(3_600)) { client in
                ["deleted": try await PlatformMaintenance.cleanupPerformanceData(client)]
            },
            // `current` positions not updated within the retention period (seed 001's minimisation).
            MaintenanceJob("wayline.location_retention", every: locationSettings.retentionInterval) { _ in
                let cutoff = Date().addingTimeInterval(-Double(locationSettings.retention.components.seconds))
                return ["deleted": try await locations.purgeStaleCurrent(before: cutoff)]
            },
        ]
    }
}
