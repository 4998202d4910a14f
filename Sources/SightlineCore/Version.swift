/// Sightline's version, written into every document record.
public enum SightlineVersion {
    public static let current = "0.1.0"
}
