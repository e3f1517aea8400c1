"""Atmospheric transmittance against elevation, wavelength and site altitude.

References
----------
.. [1] F. Kasten, A. T. Young, "Revised optical air mass tables and approximation formula",
   Appl. Opt. 28, 4735 (1989), doi:10.1364/AO.28.004735, Eq. (3), a fit to the air masses the
   paper tabulates for the ISO Standard Atmosphere 1972 (Table II: 38.0868 at the horizon).
.. [2] Beer–Lambert with an optical depth proportional to the air column: the Rayleigh part scales
   with surface pressure p/p0 = exp(−h/H), H = 8.43 km (U.S. Standard Atmosphere 1976, NOAA-S/T
   76-1562). Aerosols thin out faster with height, so the scaling is conservative.
.. [3] B. A. Bodhaine, N. B. Wood, E. G. Dutton, J. R. Slusser, "On Rayleigh optical depth
   calculations", J. Atmos. Oceanic Technol. 16, 1854 (1999), doi:10.1175/1520-0426(1999)016<1854:ORODC>2.0.CO;2,
   Eq. (30): Rayleigh optical depth at sea level (1013.25 hPa, 45° N, 360 ppm CO2).
.. [4] A. Ångström, "On the atmospheric transmission of sun radiation and on dust in the air",
   Geogr. Ann. 11, 156 (1929): aerosol optical depth τ_a(λ) = τ_a(λ0)·(λ/λ0)^−α; α ≈ 1.3 is his
   typical exponent.
.. [5] Rayleigh cross section σ = 24π³(n²−1)²/(λ⁴N_s²(n²+2)²)·F_air (Eq. 2 of [3]) with the
   refractive index of E. R. Peck, K. Reeder, J. Opt. Soc. Am. 62, 958 (1972) and the King factor
   of D. R. Bates, Planet. Space Sci. 32, 785 (1984) — the first-principles route [3] recommends;
   used in the tests as the independent reference for Eq. (30).
.. [6] Koschmieder's visibility law as MODTRAN applies it: the meteorological range V sets the
   550 nm extinction at the ground, β_a + β_R = ln(1/0.02)/V = 3.912/V (contrast threshold 2 %);
   the rural, urban and maritime models describe "the meteorological range for the ground boundary
   layer (0 to 2 km altitude)" (MODTRAN 6 help, aerosol models; rural and urban models of Shettle
   and Fenn). 23 km is MODTRAN's default rural visibility (clear continental).
.. [7] P. W. Kruse, L. D. McGlauchlin, R. B. McQuistan, *Elements of Infrared Technology*, Wiley
   (1962), as quoted by I. I. Kim, B. McArthur, E. Korevaar, "Comparison of laser beam propagation
   at 785 nm and 1550 nm in fog and haze for optical wireless communications", Proc. SPIE 4214, 26
   (2001), doi:10.1117/12.417512: β(λ) ∝ (λ/550 nm)^(−q), q = 1.3 for 6 km < V < 50 km
   (the same exponent as Ångström's [4]).
.. [8] R. Bird, C. Riordan, "Simple solar spectral model for direct and diffuse irradiance on
   horizontal and tilted planes at the earth's surface for cloudless atmospheres", NREL report
   TR-215-2436 (1984), doi:10.2172/5986936 (J. Clim. Appl. Meteorol. 25, 87 (1986)): water-vapour
   transmittance T_w = exp[−0.2385·a_w·W·M/(1 + 20.07·a_w·W·M)^0.45] (Section 2) with the absorption
   coefficients a_w(λ) of its table (from Leckner 1978), as tabulated in pvlib 0.16.1
   (pvlib/spectrum/spectrl2.py, BSD-3); the 690–880 nm rows are copied below.
.. [9] J. Qiu, X. Zong, X. Zhang, "scaling height of the tropospheric aerosol" from pyrheliometer
   and sun-photometer data with surface visibility, J. Aerosol Sci. (2005), abstract (as stored at
   daneshyari.com/en/article/9460413): an exponential aerosol extinction profile β(z) = β0·exp(−z/H);
   yearly-mean scaling heights of 11 Chinese sites 1.30–2.67 km, the all-site mean 1.88–2.11 km
   (1994–2001). H = 2.0 km is that mean.
.. [10] MODTRAN 5.2.1 runs shipped with pybsm 0.16.1 (PyPI, ``pybsm/atms``; README
   ``atmosphere_README.txt``: rural extinction 23 km visibility (IHAZE 1), Mid-Latitude Summer
   atmosphere, ground at sea level, sensor at 24.5 km, multiple scattering, 0.01 µm sampling,
   0.02 µm FWHM); its Mid-Latitude Summer water column is 3635.9 atm·cm (MODTRAN 6 help, model
   atmospheres, Table 1) = 2.92 cm precipitable (× 18.015 g/mol / 22414 cm³/mol). Used as the
   regression reference of the default sky (tests/test_atmosphere_modtran.py).
"""
from __future__ import annotations

import numpy as np

#: Pressure scale height of the lower atmosphere (U.S. Standard Atmosphere 1976). [m]
PRESSURE_SCALE_HEIGHT_M = 8434.0


def airmass_kastenyoung1989(elevation_deg):
    """Relative optical air mass, Kasten & Young (1989).

    AM = 1 / (sin h + 0.50572·(h + 6.07995°)^−1.6364), h the elevation in degrees (Eq. 3 of [1]).
    AM(90°) = 1.0, AM(0°) = 37.92. The paper's table gives 38.0868 at the horizon, so the formula
    is 0.44 % low there and within 0.2 % of the table from 1° up (tests). Below the horizon the
    result is NaN.

    Parameters
    ----------
    elevation_deg : ndarray  [deg]

    Returns
    -------
    ndarray  [1]
    """
    h = np.asarray(elevation_deg, dtype=float)
    with np.errstate(invalid="ignore"):
        am = 1.0 / (np.sin(np.radians(h)) + 0.50572 * (h + 6.07995) ** -1.6364)  # Eq. 3 of [1]
    return np.where(h >= 0.0, am, np.nan)


#: Ångström exponent of the aerosol optical depth (Ångström's typical 1.3, [4]; Kruse's q = 1.3 for
#: 6–50 km visibility, [7]). [1]
ANGSTROM_EXPONENT = 1.3


def rayleigh_optical_depth_bodhaine1999(wavelength_nm):
    """Zenith Rayleigh optical depth of the whole atmosphere at sea level (Eq. 30 of [3]). [1]

    τ_R = 0.0021520·(1.0455996 − 341.29061·λ⁻² − 0.90230850·λ²) / (1 + 0.0027059889·λ⁻² − 85.968563·λ²),
    λ in µm; a fit to the first-principles calculation [5] made for 250–850 nm: within 0.2 % of it
    there and 1 % at 1550 nm (tested against [5]).

    Parameters
    ----------
    wavelength_nm : float or ndarray  [nm]
    """
    lam2 = (np.asarray(wavelength_nm, dtype=float) * 1e-3) ** 2
    return 0.0021520 * (1.0455996 - 341.29061 / lam2 - 0.90230850 * lam2) / (1.0 + 0.0027059889 / lam2 - 85.968563 * lam2)


def aerosol_optical_depth_angstrom(wavelength_nm, aod_550nm, angstrom_exponent=ANGSTROM_EXPONENT):
    """Aerosol zenith optical depth τ_a(λ) = τ_a(550 nm)·(λ/550 nm)^−α (Ångström's law [4]). [1]

    Parameters
    ----------
    wavelength_nm : float or ndarray  [nm]
    aod_550nm : float
        Aerosol optical depth at 550 nm. [1]
    angstrom_exponent : float  [1]
    """
    return aod_550nm * (np.asarray(wavelength_nm, dtype=float) / 550.0) ** -angstrom_exponent


def zenith_optical_depth(zenith_transmittance_sea_level, altitude_m):
    """Zenith optical depth at a site: −ln(T0)·exp(−altitude/H) [2]. [1]

    Parameters
    ----------
    zenith_transmittance_sea_level : float
        Clear-sky zenith transmittance at sea level for the wavelength. [1]
    altitude_m : float
        Site altitude. [m]
    """
    return -np.log(zenith_transmittance_sea_level) * np.exp(-altitude_m / PRESSURE_SCALE_HEIGHT_M)


def transmittance_kastenyoung1989(elevation_deg, zenith_transmittance_sea_level, altitude_m):
    """Clear-sky transmittance T = exp(−τ_site·AM(elevation)) (Beer–Lambert with [1], [2]). [1]

    Parameters
    ----------
    elevation_deg : ndarray  [deg]
    zenith_transmittance_sea_level : float  [1]
    altitude_m : float  [m]
    """
    tau = zenith_optical_depth(zenith_transmittance_sea_level, altitude_m)
    return np.exp(-tau * airmass_kastenyoung1989(elevation_deg))


#: Koschmieder constant ln(1/ε) for a 2 % contrast threshold ([6]). [1]
KOSCHMIEDER_CONSTANT = 3.912
#: Default meteorological range: MODTRAN's rural 23 km ([6]), a clear continental site. [km]
VISIBILITY_RURAL_KM = 23.0
#: Scale height of the aerosol extinction profile β(z) = β0·exp(−z/H) above sea level ([9]: the mean
#: of 11 Chinese sites, 1.88–2.11 km). [m]
AEROSOL_SCALE_HEIGHT_M = 2000.0

#: Water-vapour absorption coefficients a_w of Bird & Riordan ([8], from Leckner 1978), 690–880 nm:
#: wavelength [nm], a_w [cm⁻¹]. Between rows a_w is interpolated linearly (the table's own resolution).
_WATER_TABLE_NM = np.array([690.0, 710.0, 718.0, 724.4, 740.0, 752.5, 757.5, 762.5, 767.5, 780.0, 800.0,
                            816.0, 823.7, 831.5, 840.0, 860.0, 880.0])
_WATER_TABLE_PER_CM = np.array([0.016, 0.0125, 1.8, 2.5, 0.061, 0.0008, 0.0001, 1e-05, 1e-05, 0.0006, 0.036,
                                1.6, 2.5, 0.5, 0.155, 1e-05, 0.0026])
#: Precipitable water at sea level for the default atmosphere: 1.4 cm, the column of the 1976 U.S.
#: Standard atmosphere (1762.3 atm·cm = 1.42 cm, MODTRAN 6 help, model atmospheres, Table 1; [10]);
#: give the site's value per scenario. [cm]
PRECIPITABLE_WATER_SEA_LEVEL_CM = 1.4
#: Scale height of water vapour (assumption: 2 km, the order of the tropospheric humidity scale). [m]
WATER_VAPOUR_SCALE_HEIGHT_M = 2000.0


def aerosol_optical_depth_sea_level_koschmieder(visibility_km, scale_height_m=AEROSOL_SCALE_HEIGHT_M):
    """Zenith aerosol optical depth at 550 nm above sea level of a profile whose ground visibility is V. [1]

    β_a(550 nm) = 3.912/V − β_R(550 nm) at the ground (Koschmieder [6]; β_R = τ_R(550 nm)/H_p, the
    sea-level Rayleigh extinction of [3], 0.0115 km⁻¹), and an exponential profile β0·exp(−z/H)
    ([9]) integrates to τ_a = β_a·H. For V = 23 km (MODTRAN's rural default) and H = 2 km this is
    0.317, the same as MODTRAN's 23 km extinction held constant through its 2 km boundary layer [6].

    Parameters
    ----------
    visibility_km : float
        Meteorological range at sea level. [km]
    scale_height_m : float
        Aerosol scale height H. [m]
    """
    rayleigh_per_km = rayleigh_optical_depth_bodhaine1999(550.0) / (PRESSURE_SCALE_HEIGHT_M * 1e-3)
    beta_550_per_km = max(0.0, KOSCHMIEDER_CONSTANT / visibility_km - rayleigh_per_km)  # [6]
    return beta_550_per_km * scale_height_m * 1e-3  # ∫ β0·exp(−z/H) dz, [9]


def aerosol_optical_depth_at_altitude(aod_sea_level_550nm, altitude_m, scale_height_m=AEROSOL_SCALE_HEIGHT_M):
    """Zenith aerosol optical depth above a site at ``altitude_m``: τ0·exp(−h/H) ([9]'s profile). [1]

    The aerosol a site sees is what lies above it: a 3.2 km site is above most of a 2 km scale
    height's aerosol (exp(−1.6) = 0.20 of the sea-level column).

    Parameters
    ----------
    aod_sea_level_550nm : float
        Zenith aerosol optical depth of the whole profile from sea level. [1]
    altitude_m : float or ndarray
        Site altitude. [m]
    scale_height_m : float  [m]
    """
    return aod_sea_level_550nm * np.exp(-np.maximum(np.asarray(altitude_m, float), 0.0) / scale_height_m)


def default_aerosol_optical_depth_550nm(altitude_m, visibility_km=VISIBILITY_RURAL_KM,
                                        scale_height_m=AEROSOL_SCALE_HEIGHT_M):
    """The default zenith aerosol optical depth at 550 nm above a site: a profile whose sea-level
    visibility is ``visibility_km`` (Koschmieder [6]) with an exponential scale height ([9]), cut at
    the site's altitude. The one definition of the default aerosol; a station's own measured value
    (``Station.aerosol_optical_depth_550nm``) replaces it. [1]

    Sea level 0.317 (23 km rural), 1 km 0.192, 2 km 0.117, 3.2 km 0.064 (Gaomeigu's photometer
    measured 0.01–0.1 on clear days: docs/micius_2017.md).

    Parameters
    ----------
    altitude_m : float or ndarray  [m]
    visibility_km : float  [km]
    scale_height_m : float  [m]
    """
    return aerosol_optical_depth_at_altitude(aerosol_optical_depth_sea_level_koschmieder(visibility_km, scale_height_m),
                                             altitude_m, scale_height_m)


def water_vapour_optical_depth_birdriordan1984(wavelength_nm, precipitable_water_cm, airmass):
    """Water-vapour optical depth of a slant path, −ln T_w (Bird & Riordan [8], Section 2). [1]

    0.2385·a_w·W·M/(1 + 20.07·a_w·W·M)^0.45, a_w from the table of [8] (690–880 nm, linear
    interpolation; 0 outside it, where this module is not meant to be used). The 810–830 nm band
    (a_w up to 2.5 cm⁻¹ at 823.7 nm) matters for 810 nm downlinks.

    Parameters
    ----------
    wavelength_nm : float  [nm]
    precipitable_water_cm : float
        Precipitable water above the site. [cm]
    airmass : ndarray
        Relative air mass of the path. [1]
    """
    if not _WATER_TABLE_NM[0] <= wavelength_nm <= _WATER_TABLE_NM[-1]:
        return np.zeros(np.shape(airmass))
    a_w = np.interp(wavelength_nm, _WATER_TABLE_NM, _WATER_TABLE_PER_CM)
    awm = a_w * precipitable_water_cm * np.asarray(airmass, float)
    return 0.2385 * awm / (1.0 + 20.07 * awm) ** 0.45  # Section 2 of [8]


def water_vapour_transmittance_birdriordan1984(wavelength_nm, precipitable_water_cm, airmass):
    """Water-vapour transmittance of a slant path, T_w = exp[−0.2385·a_w·W·M/(1 + 20.07·a_w·W·M)^0.45]
    (Bird & Riordan [8], Section 2; :func:`water_vapour_optical_depth_birdriordan1984`). [1]

    Parameters
    ----------
    wavelength_nm : float  [nm]
    precipitable_water_cm : float
        Precipitable water above the site. [cm]
    airmass : ndarray
        Relative air mass of the path. [1]
    """
    return np.exp(-water_vapour_optical_depth_birdriordan1984(wavelength_nm, precipitable_water_cm, airmass))


def clear_sky_transmittance(elevation_deg, wavelength_nm, altitude_m, aod_550nm, angstrom_exponent=ANGSTROM_EXPONENT,
                            precipitable_water_sea_level_cm=PRECIPITABLE_WATER_SEA_LEVEL_CM):
    """The clear sky of a site: Rayleigh [3] scaled by pressure [2], the site's aerosol optical depth
    by Ångström's law [4] and water vapour [8], all along the Kasten–Young air mass [1]. [1]

    Parameters
    ----------
    elevation_deg : ndarray  [deg]
    wavelength_nm : float  [nm]
    altitude_m : float
        Site altitude. [m]
    aod_550nm : float
        Zenith aerosol optical depth at 550 nm above the site (e.g.
        :func:`default_aerosol_optical_depth_550nm`, or a photometer's value). [1]
    angstrom_exponent : float  [1]
    precipitable_water_sea_level_cm : float
        Precipitable water of the column at sea level, scaled to the site by exp(−h/2 km). [cm]
    """
    return clear_sky_components(elevation_deg, wavelength_nm, altitude_m, aod_550nm, angstrom_exponent,
                                precipitable_water_sea_level_cm)[0]


#: The clear sky's parts, in the order :func:`clear_sky_components` gives their optical depths.
CLEAR_SKY_PARTS = ("rayleigh", "aerosol", "water_vapour")


def clear_sky_components(elevation_deg, wavelength_nm, altitude_m, aod_550nm, angstrom_exponent=ANGSTROM_EXPONENT,
                         precipitable_water_sea_level_cm=PRECIPITABLE_WATER_SEA_LEVEL_CM):
    """The clear sky of :func:`clear_sky_transmittance` and its parts along the path.

    Parameters are those of :func:`clear_sky_transmittance`.

    Returns
    -------
    transmittance : ndarray
        exp(−(τ_R + τ_a)·AM) · T_w, the whole clear sky. [1]
    optical_depths : dict part -> ndarray
        The slant optical depth of each part of :data:`CLEAR_SKY_PARTS`: Rayleigh τ_R·AM ([3] scaled
        by pressure [2]), aerosol τ_a·AM ([4]) and water vapour −ln T_w ([8]); their sum is
        −ln(transmittance). [1]
    """
    airmass = airmass_kastenyoung1989(elevation_deg)
    rayleigh = rayleigh_optical_depth_bodhaine1999(wavelength_nm) * np.exp(-altitude_m / PRESSURE_SCALE_HEIGHT_M)
    aerosol = aerosol_optical_depth_angstrom(wavelength_nm, aod_550nm, angstrom_exponent)
    tau = rayleigh + aerosol
    water_cm = precipitable_water_sea_level_cm * np.exp(-altitude_m / WATER_VAPOUR_SCALE_HEIGHT_M)
    water = water_vapour_optical_depth_birdriordan1984(wavelength_nm, water_cm, airmass)
    transmittance = np.exp(-tau * airmass) * np.exp(-water)
    return transmittance, {"rayleigh": rayleigh * airmass, "aerosol": aerosol * airmass, "water_vapour": water}


def transmittance_from_table(elevation_deg, table_elevation_deg, table_transmittance):
    """Transmittance interpolated (linearly in elevation) from a user table, e.g. MODTRAN or
    libRadtran output for the site; outside the table the end values hold. [1]

    Parameters
    ----------
    elevation_deg : ndarray  [deg]
    table_elevation_deg : sequence, increasing  [deg]
    table_transmittance : sequence  [1]
    """
    return np.interp(elevation_deg, np.asarray(table_elevation_deg, float), np.asarray(table_transmittance, float))
