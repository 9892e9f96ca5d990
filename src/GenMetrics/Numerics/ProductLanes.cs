using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GenMetrics.Numerics;

/// <summary>
/// The vector operations of <see cref="MatrixProduct"/>'s micro-kernel, one struct per element type and vector width,
/// so that one kernel body serves float64 and float32 on Vector256 and Vector512 (the JIT specialises it per struct).
/// </summary>
internal static unsafe class ProductLanes
{
    /// <summary>Load, broadcast, fused multiply-add and add-to-memory on one vector of T.</summary>
    internal interface ILanes<T, TVector> where T : unmanaged where TVector : struct
    {
        /// <summary>Whether this machine has the instructions (else the kernel's scalar fused path runs).</summary>
        static abstract bool IsSupported { get; }

        /// <summary>Elements per vector.</summary>
        static abstract int Count { get; }

        static abstract TVector Load(T* source);

        static abstract TVector Broadcast(T value);

        /// <summary>x·y + addend, rounded once.</summary>
        static abstract TVector MultiplyAdd(TVector x, TVector y, TVector addend);

        /// <summary>target[0..Count) += value.</summary>
        static abstract void AddTo(T* target, TVector value);
    }

    internal readonly struct Narrow64 : ILanes<double, Vector256<double>>
    {
        public static bool IsSupported => Fma.IsSupported;
        public static int Count => 4;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Load(double* source) => Avx.LoadVector256(source);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Broadcast(double value) => Vector256.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> MultiplyAdd(Vector256<double> x, Vector256<double> y, Vector256<double> addend) => Fma.MultiplyAdd(x, y, addend);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AddTo(double* target, Vector256<double> value) => Avx.Store(target, Avx.Add(Avx.LoadVector256(target), value));
    }

    internal readonly struct Wide64 : ILanes<double, Vector512<double>>
    {
        public static bool IsSupported => Avx512F.IsSupported;
        public static int Count => 8;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(double* source) => Avx512F.LoadVector512(source);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Broadcast(double value) => Vector512.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> MultiplyAdd(Vector512<double> x, Vector512<double> y, Vector512<double> addend) => Avx512F.FusedMultiplyAdd(x, y, addend);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AddTo(double* target, Vector512<double> value) => Avx512F.Store(target, Avx512F.Add(Avx512F.LoadVector512(target), value));
    }

    internal readonly struct Narrow32 : ILanes<float, Vector256<float>>
    {
        public static bool IsSupported => Fma.IsSupported;
        public static int Count => 8;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* source) => Avx.LoadVector256(source);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> y, Vector256<float> addend) => Fma.MultiplyAdd(x, y, addend);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AddTo(float* target, Vector256<float> value) => Avx.Store(target, Avx.Add(Avx.LoadVector256(target), value));
    }

    internal readonly struct Wide32 : ILanes<float, Vector512<float>>
    {
        public static bool IsSupported => Avx512F.IsSupported;
        public static int Count => 16;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* source) => Avx512F.LoadVector512(source);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MultiplyAdd(Vector512<float> x, Vector512<float> y, Vector512<float> addend) => Avx512F.FusedMultiplyAdd(x, y, addend);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AddTo(float* target, Vector512<float> value) => Avx512F.Store(target, Avx512F.Add(Avx512F.LoadVector512(target), value));
    }
}
