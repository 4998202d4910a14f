import CSightlineSupport

/// Diagnostics for the colour-management bypass (see CSightlineSupport.h).
public enum ColourManagement {
    /// True once libpoppler's calls to `cmsCreateTransform` have reached
    /// Sightline's definition, i.e. the interposition is in effect in this process.
    public static var isInterposed: Bool { sightline_lcms_interposed() != 0 }

    /// How many colour transforms poppler asked for and was spared.
    public static var bypassedTransforms: Int { Int(sightline_lcms_bypassed_count()) }
}
