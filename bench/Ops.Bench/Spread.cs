/// <summary>Minimum, median and maximum of a set of figures (the median is the one to quote on a shared machine).</summary>
sealed record Spread(double Min, double Median, double Max)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) throw new ArgumentException("no values", nameof(values));
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(sorted[0], median, sorted[^1]);
    }

    public string Format(string unit, string number = "0") =>
        $"median {Median.ToString(number)} {unit} (min {Min.ToString(number)}, max {Max.ToString(number)})";
}
