/// The correlation id of the request a task is serving, for calls it makes to other roles: a port's
/// HTTP adapter sends it on as `X-Request-ID` without every port's signature carrying it.
public enum CorrelationID {
    @TaskLocal public static var current: String?
}
