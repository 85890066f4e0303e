// Seed row 7: a CSV file read into named columns (pandas.read_csv), each column a tensor, made a
// [rows, 1] float32 column with unsqueeze and a cast, as the seed prepares x and y for a model.
//
//   build/release/examples/seed_07_csv_columns examples/seed/data
//
// The output equals tools/golden/seed/07_csv_columns.py's under PyTorch
// (CTest: Seed.07_csv_columns).
#include <ember/ember.h>

#include <iostream>
#include <string>

using ember::Tensor;

int main(int argc, char** argv) {
    const std::string data_dir = argc > 1 ? argv[1] : "examples/seed/data";
    try {
        // data = pd.read_csv('class2.csv'): the types are inferred as pandas does (here float64)
        ember::io::CsvTable data = ember::io::read_csv(data_dir + "/class2.csv");
        std::cout << "columns:";
        for (const std::string& name : data.column_names()) std::cout << " " << name;
        std::cout << " rows: " << data.num_rows() << "\n";

        // torch.from_numpy(data['x'].values): a column is a tensor already
        Tensor column = data["x"];
        std::cout << "x column: " << column.sizes() << " " << column.dtype() << "\n";

        // x = torch.from_numpy(data['x'].values).unsqueeze(dim=1).float(); the same for y
        Tensor x = data["x"].unsqueeze(1).to_float();
        Tensor y = data["y"].unsqueeze(1).to_float();
        std::cout << "x: " << x.sizes() << " " << x.dtype() << " y: " << y.sizes() << " "
                  << y.dtype() << "\n";
        std::cout << x << "\n" << y << "\n";
    } catch (const ember::Error& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
